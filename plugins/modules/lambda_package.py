#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: cloudresume.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation of the lambda_package action (plugins/action/lambda_package.py); it has no module code."""
from __future__ import annotations

DOCUMENTATION = r"""
---
module: lambda_package
short_description: Build a reproducible zip of a directory for AWS Lambda
version_added: 0.1.0
description:
  - Zips the files of a directory so that the same source always gives the same bytes, on any clone and any day
    the source is checked out, and reports the archive's SHA-256 both as hex and in the base64 form AWS Lambda
    reports as C(CodeSha256). Comparing RV(code_sha256) with a function's C(CodeSha256) tells whether its code
    needs an update.
  - Reproducible means that the entries are in a fixed order (sorted by their path), carry a fixed timestamp
    (1980-01-01 00:00:00, the earliest a zip can hold) and fixed permissions (C(0644)), no directory entries,
    and are stored uncompressed, so the bytes do not depend on the zlib build either.
  - The archive is written only when its content differs from O(dest), atomically (a temporary file in the same
    folder, then a rename), so a reader never sees half an archive. It makes no AWS call.
  - Runs on the controller, the machine that runs C(ansible-playbook), whatever host the task is for (an action
    plugin), and starts no module process. O(src) and O(dest) are files of the controller.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  src:
    description:
      - The directory to package. Its files are stored under their path relative to O(src).
      - A relative path is relative to the folder of the playbook, as for a module run on the controller.
      - Symbolic links are followed while they stay inside O(src) (the archive holds the content they point to); a
        link leaving O(src), or a loop, fails the task, so nothing outside the folder goes into the archive.
    type: path
    required: true
  dest:
    description:
      - Path of the zip file to write. Its parent directory is created when missing.
      - A relative path is relative to the folder of the playbook, as for a module run on the controller.
    type: path
    required: true
  exclude:
    description:
      - Shell-style patterns (C(fnmatch)) of names to leave out. A pattern matches any component of a file's
        relative path, so C(__pycache__) leaves out a whole directory.
    type: list
    elements: str
    default: ["__pycache__", "*.pyc", ".*"]
  mode:
    description:
      - Permissions of the written zip file, octal (C("0644")) or symbolic (C(u=rw,g=r,o=r)).
      - A mode alone that differs is set without writing the archive again.
    type: raw
    default: "0644"
attributes:
  check_mode:
    support: full
    description: In check mode the archive is built in memory and compared with O(dest), which is not written.
  diff_mode:
    support: full
    description: Shows the SHA-256 and the file list of O(dest) before and after.
  platform:
    support: full
    platforms: posix
    description: Runs on the controller.
notes:
  - The archive holds regular files only; an empty directory is not packaged.
"""

EXAMPLES = r"""
- name: Package the function's code
  cloudresume.aws.lambda_package:
    src: "{{ role_path }}/../../files/lambda"
    dest: "{{ lookup('ansible.builtin.env', 'HOME') }}/.cache/cloudresume.aws/counter.zip"
  register: package

- name: Deploy it only when the code changed
  amazon.aws.lambda:
    name: counter
    zip_file: "{{ package.path }}"
    runtime: python3.13
    handler: counter.handler
    role: "{{ role_arn }}"
"""

RETURN = r"""
path:
  description: Path of the zip file (O(dest), prefixed with the playbook's folder when relative).
  returned: always
  type: str
  sample: /home/me/.cache/cloudresume.aws/counter.zip
sha256:
  description: SHA-256 of the archive, hex.
  returned: always
  type: str
  sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
code_sha256:
  description: SHA-256 of the archive, base64, the form of a Lambda function's C(CodeSha256).
  returned: always
  type: str
  sample: n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=
size:
  description: Size of the archive in bytes.
  returned: always
  type: int
  sample: 6144
files:
  description: Paths stored in the archive, in archive order.
  returned: always
  type: list
  elements: str
  sample: [counter.py]
"""
