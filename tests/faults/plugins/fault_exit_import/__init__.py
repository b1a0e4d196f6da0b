import sys

sys.exit(3)  # the point of this test plugin: exits while being imported
