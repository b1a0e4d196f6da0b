"""IFC (BIM) building models: reader, object table and placement in a map CRS."""
