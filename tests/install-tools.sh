#!/usr/bin/env bash
# Installs the non-Python tools the test suite drives as real consumers.
# Safe to run again: it installs only what is missing.
set -euo pipefail
echo "install-tools: nothing beyond Python packages is needed yet"
