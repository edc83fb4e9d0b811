#!/usr/bin/env python3
"""Start Photo Desk from a checkout: ``python main.py [options] [PATH]``."""

import sys

from viewer.app import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # In a frozen build a worker process starts as this executable again: this turns
        # it into the worker instead of a second window.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
