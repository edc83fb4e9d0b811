#!/usr/bin/env python3
"""Start Photo Desk from a checkout: ``python main.py [options] [PATH]``."""

import sys

from viewer.app import main

if __name__ == "__main__":
    sys.exit(main())
