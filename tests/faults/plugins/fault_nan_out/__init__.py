from cimviewer.api import Algorithm, NumberOutput


class Alg(Algorithm):
    title = "Non-finite results"

    def outputs(self):
        return [NumberOutput("nan"), NumberOutput("inf"), NumberOutput("fine")]

    def run(self, params, ctx):
        return {"nan": float("nan"), "inf": float("-inf"), "fine": 2.5}
