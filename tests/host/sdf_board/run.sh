#!/bin/bash
# Tests of the board step of scripts/sdf-pds.py (test_sdf_board.py).
exec /usr/bin/python3 "$(dirname "$0")/test_sdf_board.py"
