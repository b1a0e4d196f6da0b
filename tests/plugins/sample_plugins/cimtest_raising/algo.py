from cimviewer.api import Algorithm, Number, NumberOutput


class Boom(Algorithm):
    title = "Boom"

    def parameters(self):
        return [Number("x", default=1)]

    def outputs(self):
        return [NumberOutput("y")]

    def run(self, params, ctx):
        raise RuntimeError("the algorithm exploded")


def explode(ctx):
    raise ValueError("the action exploded")


def bad_dock(ctx):
    return "not a widget"


def pick_item(spec):
    """A task that fails for a spec past the end of its list."""
    items = [10, 20]
    return items[spec]


class SplitBoom(Algorithm):
    title = "Split boom"
    run_task = staticmethod(pick_item)

    def outputs(self):
        return [NumberOutput("total")]

    def tasks(self, params, ctx):
        return [0, 1, 2]

    def combine(self, results, params, ctx):
        return {"total": sum(results)}
