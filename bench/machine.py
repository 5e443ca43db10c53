"""The machine a benchmark ran on, in the words a reader compares machines by."""

import os
import platform
from importlib.metadata import version
from pathlib import Path


def cpu_model(cpuinfo="/proc/cpuinfo"):
    """The CPU's model name from /proc/cpuinfo, else what platform knows."""
    path = Path(cpuinfo)
    if path.is_file():
        for line in path.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def memory_gb(meminfo="/proc/meminfo"):
    """Total memory in GB (1e9 bytes), or None where /proc/meminfo is missing."""
    path = Path(meminfo)
    if not path.is_file():
        return None
    for line in path.read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) * 1024 / 1e9, 1)
    return None


def os_name(os_release="/etc/os-release"):
    """PRETTY_NAME from /etc/os-release, else the platform string."""
    path = Path(os_release)
    if path.is_file():
        for line in path.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.platform()


def describe(chromium_version):
    """CPU, cores, memory, OS, Chromium and Python-side versions."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb(),
        "os": os_name(),
        "kernel": platform.release(),
        "chromium": chromium_version,
        "python": platform.python_version(),
        "playwright": version("playwright"),
    }
