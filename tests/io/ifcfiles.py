"""Small IFC files written with ifcopenshell's API for the IFC tests.

One building on a site: two storeys (``Ground`` at 0 m, ``First`` at 3 m), on each a
10 m x 0.2 m x 3 m wall along x from the storey's origin and a 10 m x 8 m x 0.2 m slab;
a 4 m x 4 m x 3 m space on the ground floor; property sets on the walls; the first
storey's wall has a red surface style. Lengths are given in metres and written in the
file's unit (metres or millimetres).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: the wall's far corner on the ground storey, in model metres (x, y, z)
WALL_CORNER = (10.0, 0.2, 3.0)
RED = (1.0, 0.0, 0.0)


def build_ifc(path: Path, *, schema: str = "IFC4", millimetres: bool = False,
              map_conversion: dict | None = None, crs_name: str | None = None,
              ref_latlon: tuple[tuple[int, ...], tuple[int, ...], float] | None = None,
              true_north: tuple[float, float] | None = None,
              epset_map: dict | None = None) -> Path:
    """Write the test building; see the module docstring.

    ``map_conversion``: IfcMapConversion attributes (Eastings, Northings,
    OrthogonalHeight, XAxisAbscissa, XAxisOrdinate, Scale) with an IfcProjectedCRS named
    ``crs_name``. ``ref_latlon``: IfcSite RefLatitude, RefLongitude (compound angles)
    and RefElevation. ``epset_map``: IFC2x3 style ePSet_MapConversion on the project
    (with ePSet_ProjectedCRS named ``crs_name``).
    """
    import ifcopenshell.api.project
    from ifcopenshell.api import run

    f = ifcopenshell.api.project.create_file(version=schema)
    if schema == "IFC2X3":  # owner history is mandatory there
        _owner(f)
    project = run("root.create_entity", f, ifc_class="IfcProject", name="Test project")
    unit = run("unit.add_si_unit", f, unit_type="LENGTHUNIT",
               prefix="MILLI" if millimetres else None)
    run("unit.assign_unit", f, units=[unit])
    model = run("context.add_context", f, context_type="Model")
    body = run("context.add_context", f, context_type="Model", context_identifier="Body",
               target_view="MODEL_VIEW", parent=model)
    site = run("root.create_entity", f, ifc_class="IfcSite", name="Site")
    building = run("root.create_entity", f, ifc_class="IfcBuilding", name="Block A")
    run("aggregate.assign_object", f, relating_object=project, products=[site])
    run("aggregate.assign_object", f, relating_object=site, products=[building])
    scale = 1000.0 if millimetres else 1.0
    red = run("style.add_style", f, name="Red paint")
    run("style.add_surface_style", f, style=red, ifc_class="IfcSurfaceStyleShading",
        attributes={"SurfaceColour": {"Name": None, "Red": RED[0], "Green": RED[1],
                                      "Blue": RED[2]}})
    for level, name in enumerate(("Ground", "First")):
        storey = run("root.create_entity", f, ifc_class="IfcBuildingStorey", name=name)
        storey.Elevation = 3.0 * level * scale
        run("aggregate.assign_object", f, relating_object=building, products=[storey])
        placement = np.eye(4)
        placement[2, 3] = 3.0 * level
        wall = run("root.create_entity", f, ifc_class="IfcWall", name=f"Wall {level}")
        rep = run("geometry.add_wall_representation", f, context=body, length=10.0,
                  height=3.0, thickness=0.2)
        run("geometry.assign_representation", f, product=wall, representation=rep)
        run("geometry.edit_object_placement", f, product=wall, matrix=placement)
        run("spatial.assign_container", f, relating_structure=storey, products=[wall])
        pset = run("pset.add_pset", f, product=wall, name="Pset_WallCommon")
        run("pset.edit_pset", f, pset=pset,
            properties={"IsExternal": level == 0, "FireRating": "F90"})
        if level == 1:
            run("style.assign_representation_styles", f, shape_representation=rep,
                styles=[red])
        slab = run("root.create_entity", f, ifc_class="IfcSlab", name=f"Slab {level}")
        rep = run("geometry.add_slab_representation", f, context=body, depth=0.2,
                  polyline=[(0.0, 0.0), (10.0, 0.0), (10.0, 8.0), (0.0, 8.0)])
        run("geometry.assign_representation", f, product=slab, representation=rep)
        run("geometry.edit_object_placement", f, product=slab, matrix=placement)
        run("spatial.assign_container", f, relating_structure=storey, products=[slab])
        if level == 0:
            space = run("root.create_entity", f, ifc_class="IfcSpace", name="Room 1")
            rep = run("geometry.add_slab_representation", f, context=body, depth=3.0,
                      polyline=[(1.0, 1.0), (5.0, 1.0), (5.0, 5.0), (1.0, 5.0)])
            run("geometry.assign_representation", f, product=space, representation=rep)
            run("geometry.edit_object_placement", f, product=space, matrix=np.eye(4))
            run("aggregate.assign_object", f, relating_object=storey, products=[space])
    if map_conversion is not None:
        run("georeference.add_georeferencing", f,
            name="EPSG:32650" if crs_name is None else crs_name)
        run("georeference.edit_georeferencing", f, coordinate_operation=map_conversion)
    if ref_latlon is not None:
        site.RefLatitude, site.RefLongitude, site.RefElevation = ref_latlon
    if true_north is not None:
        run("georeference.edit_true_north", f, true_north=list(true_north))
    if epset_map is not None:
        pset = run("pset.add_pset", f, product=project, name="ePSet_MapConversion")
        run("pset.edit_pset", f, pset=pset, properties=epset_map)
        pset = run("pset.add_pset", f, product=project, name="ePSet_ProjectedCRS")
        run("pset.edit_pset", f, pset=pset, properties={"Name": crs_name or "EPSG:32650"})
    f.write(str(path))
    return path


def _owner(f) -> None:
    import ifcopenshell.api.owner.settings
    from ifcopenshell.api import run

    person = run("owner.add_person", f, identification="test", family_name="Test")
    org = run("owner.add_organisation", f, identification="cimviewer", name="cimviewer")
    user = run("owner.add_person_and_organisation", f, person=person, organisation=org)
    app = run("owner.add_application", f, application_developer=org,
              application_full_name="cimviewer tests", application_identifier="cimviewer",
              version="1")
    ifcopenshell.api.owner.settings.get_user = lambda _f: user
    ifcopenshell.api.owner.settings.get_application = lambda _f: app
