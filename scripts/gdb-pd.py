# gdb extension for the running system: `source scripts/gdb-pd.py` in
# gdb-multiarch (make gdb does), then `pd setup ...`; `help pd` and
# `help kernel` list the commands; docs/debugging.md explains them.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pddebug.gdbext import commands  # noqa: E402

commands.register()
