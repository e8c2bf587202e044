"""What the ONNX test scripts share: running a tool, stopping on failure."""
import subprocess
import sys


def run(cmd):
    """The output of `cmd`; its failure ends the script with that output."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout}")
    return proc.stdout
