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
