#!/bin/sh
# Interestingness test for xf-reduce (test/tools/xf-reduce): exit 1 (keep
# the candidate) while xf-opt ($1) still stops with the error being reduced;
# the candidate file comes last.
for file; do :; done
"$1" "$file" --xf-cpu-lower-kernels 2>&1 | grep -q "must be bufferized" && exit 1
exit 0
