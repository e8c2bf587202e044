"""Runs a command, passes its output through and prints "exit code: N".

lit's internal shell has no $?; tests use this to assert a tool's exact exit
status (xf-run: 1 = a check failed, 2 = bad input) with FileCheck.
"""
import subprocess
import sys

proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE,
                      stderr=subprocess.STDOUT)
sys.stdout.write(proc.stdout.decode(errors="replace"))
print(f"exit code: {proc.returncode}")
