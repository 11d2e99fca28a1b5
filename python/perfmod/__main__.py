"""`python -m perfmod ...`: runs the `perfmod` binary the wheel installed."""

import os
import sys
import sysconfig


def find_perfmod_bin() -> str:
    """The binary the wheel put in a scripts directory: the interpreter's own
    (a virtualenv, a system install), the user scheme (`pip install --user`), or
    `bin/` beside the package (`pip install --target DIR`)."""
    exe = "perfmod" + (sysconfig.get_config_var("EXE") or "")
    candidates = [os.path.join(sysconfig.get_path("scripts"), exe)]
    user_scheme = sysconfig.get_preferred_scheme("user") if sys.version_info >= (3, 10) else (
        "nt_user" if os.name == "nt" else "posix_user"
    )
    candidates.append(os.path.join(sysconfig.get_path("scripts", scheme=user_scheme), exe))
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates.append(os.path.join(package_parent, "bin", exe))
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError("perfmod binary not found; looked in: " + ", ".join(candidates))


def main() -> None:
    binary = find_perfmod_bin()
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.run([binary, *sys.argv[1:]]).returncode)
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
