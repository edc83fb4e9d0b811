#!/usr/bin/env python3
"""Start Photo Desk from a checkout: ``python main.py [options] [PATH]``."""

import sys

if __name__ == "__main__":
    if (
        len(sys.argv) == 4 and sys.argv[1] == "--photodesk-worker"
    ):  # viewer.worker_process.WORKER_FLAG
        # A frozen build starts its worker processes as this executable again: this one
        # reads files for the app, and loads nothing of the window.
        from viewer.worker_process import worker_main

        sys.exit(worker_main(*sys.argv[2:]))
    if getattr(sys, "frozen", False):
        # On Windows a frozen build's workers are started by multiprocessing.
        import multiprocessing

        multiprocessing.freeze_support()
    from viewer.app import main

    sys.exit(main())
