"""Entry point of the frozen app (PyInstaller): the ``cimviewer`` command.

``freeze_support`` comes first: dask's LocalCluster starts its workers with the
"spawn" method, which re-runs this executable as a worker process.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cimviewer.cli import main

    sys.exit(main())
