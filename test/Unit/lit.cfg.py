# -*- Python -*-
# lit configuration of the GoogleTest unit tests (build/unittests).

import os

import lit.formats

config.name = "XF-Unit"
config.suffixes = []
config.test_source_root = os.path.join(config.xf_obj_root, "unittests")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
