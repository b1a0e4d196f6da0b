import sys

from cimviewer.cli import main

sys.exit(main())
