import sys

from cimviewer.api import Algorithm, NumberOutput


class Alg(Algorithm):
    title = "Exits in run"

    def outputs(self):
        return [NumberOutput("x")]

    def run(self, params, ctx):
        sys.exit(0)  # with code 0: the CLI must still not report success
