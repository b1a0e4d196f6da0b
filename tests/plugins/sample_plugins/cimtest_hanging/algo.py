import threading

from cimviewer.api import Algorithm, NumberOutput

#: the test sets this at the end so the abandoned thread finishes
RELEASE = threading.Event()
STARTED = threading.Event()


class Hang(Algorithm):
    title = "Hang"

    def outputs(self):
        return [NumberOutput("never")]

    def run(self, params, ctx):
        STARTED.set()
        RELEASE.wait(120)  # never polls ctx.cancelled()
        return {"never": 0}
