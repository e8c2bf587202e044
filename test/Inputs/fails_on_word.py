#!/usr/bin/env python3
"""A stand-in for xf-run that tests random_blocks.py's shrinking: fails
(exit code 1) on an input file that contains the word in $XF_FAIL_ON_WORD,
and agrees with the reference otherwise. Arguments as xf-run's: FILE, then
options."""
import os
import sys

text = open(sys.argv[1]).read()
if os.environ["XF_FAIL_ON_WORD"] in text:
    print("max_rel_err=1.0e+00 FAIL")
    sys.exit(1)
print("max_rel_err=0.0e+00 ok")
