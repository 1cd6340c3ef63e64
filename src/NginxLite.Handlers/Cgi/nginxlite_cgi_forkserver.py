# NginxLite's Python CGI fork server (docs/cgi.md, "Python preload fork server"). Standard library only.
# Started by nginxlite as `python3 -c <this file>` as the cgi_user, with fd 0 (and 1) one end of a SOCK_SEQPACKET
# pair. Per request nginxlite sends one packet "F\0id\0script\0cwd\0argc\0argv...\0env..." with the script's
# stdin, stdout and stderr as SCM_RIGHTS; this process forks, and the child runs the script as `python3 script`
# would (runpy.run_path(path, run_name="__main__"), PEP 338). Replies: "S\0id\0pid" (started), "E\0id\0reason"
# (refused), "X\0pid\0status" (the raw waitpid(2) status once the child is reaped). "K\0pid" kills a child's
# process group (its setsid made it the leader). End of file on the socket: kill every child still running, exit.
import os
import signal
import socket
import stat
import sys

_ctl = socket.socket(fileno=os.dup(0))
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)
os.dup2(_null, 1)
os.close(_null)
_children = set()
# PEP 538: a python3 whose start-up locale is C sets LC_CTYPE=C.UTF-8 in its own environment. The fork server started
# with the first request's LANG/LC_* (so it made the same choice a fresh python3 would); the child's environ is the
# request's, so the coercion is applied again where the request did not set LC_CTYPE itself.
_coerced_lc_ctype = os.environ.get("LC_CTYPE")
_wake_r, _wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
signal.set_wakeup_fd(_wake_w)
signal.signal(signal.SIGCHLD, lambda *_: None)
import runpy  # noqa: E402  (imported here so every child finds it loaded: that is the point)
import traceback  # noqa: E402
# runpy.run_path imports these on its first call (pkgutil pulls in weakref and typing): measured at about a third of
# a child's time when every child did it again.
from pkgutil import get_importer, read_code  # noqa: E402,F401


def _send(*fields):
    try:
        _ctl.send("\0".join(str(f) for f in fields).encode("utf-8", "surrogateescape"))
    except OSError:
        pass


def _refusal(path):
    # The same file rules as the privileged helper (suEXEC): nginxlite already checked, this is the backstop for
    # a server that runs as another user and must not make us run a file it wrote.
    try:
        real = os.path.realpath(path)
        st = os.lstat(real)
    except OSError as e:
        return '"%s": %s' % (path, e.strerror)
    if not stat.S_ISREG(st.st_mode):
        return '"%s" is not a regular file' % real
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return '"%s" is writable by group or others' % real
    if st.st_uid not in (0, os.getuid()):
        return '"%s" is owned by uid %d, not by uid %d or root' % (real, st.st_uid, os.getuid())
    return None


def _exit_code(e):
    # What Python's own handle_system_exit does with SystemExit's argument.
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except Exception:
        pass
    return 1


def _child(script, cwd, argv, fields, argc, fds):
    code = 1
    try:
        os.setsid()
        for i in range(3):
            os.dup2(fds[i], i)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        _ctl.close()
        signal.set_wakeup_fd(-1)
        os.close(_wake_r)
        os.close(_wake_w)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(_environ(fields, argc))
        sys.argv = argv
        # python3 puts the script's directory (symlinks resolved) first on sys.path; `-c` put "" there.
        sys.path[0] = os.path.dirname(os.path.realpath(script))
        try:
            runpy.run_path(script, run_name="__main__")
            code = 0
        except SystemExit as e:
            code = _exit_code(e)
        except BaseException:
            traceback.print_exc()
            code = 1
        try:
            import atexit
            atexit._run_exitfuncs()
        except BaseException:
            pass
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:
                code = 120  # Python's exit status when flushing stdout fails at shutdown
    finally:
        os._exit(code)


def _environ(fields, argc):
    env = {}
    for kv in fields[5 + argc:]:
        k, _, v = kv.partition("=")
        env[k] = v
    if _coerced_lc_ctype is not None and "LC_CTYPE" not in env and "LC_ALL" not in env:
        env["LC_CTYPE"] = _coerced_lc_ctype
    return env


def _fork(fields, fds):
    # Only what must happen here happens here: this loop is serial, and after each fork every page it writes is a
    # copy-on-write fault while that child lives. The environment is parsed in the child (docs/cgi.md: measured
    # 1.5-2 ms less of this process's CPU per request).
    req_id, script = fields[1], fields[2]
    try:
        if len(fds) != 3:
            _send("E", req_id, "%d fds, not stdin, stdout, stderr" % len(fds))
            return
        reason = _refusal(script)
        if reason is not None:
            _send("E", req_id, reason)
            return
        argc = int(fields[4])
        pid = os.fork()
        if pid == 0:
            _child(script, fields[3], fields[5:5 + argc], fields, argc, fds)
        _children.add(pid)
        _send("S", req_id, pid)
    except ValueError:
        _send("E", req_id, "malformed request")
    except OSError as e:
        _send("E", req_id, "fork: %s" % e.strerror)
    finally:
        for fd in fds:
            os.close(fd)


def _reap():
    while _children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _children.discard(pid)
        _send("X", pid, status)


def _main():
    import select
    while True:
        try:
            ready, _, _ = select.select([_ctl, _wake_r], [], [])
        except InterruptedError:
            ready = []
        if _wake_r in ready:
            try:
                os.read(_wake_r, 512)
            except BlockingIOError:
                pass
        _reap()
        if _ctl not in ready:
            continue
        data, fds, _, _ = socket.recv_fds(_ctl, 1024 * 1024, 3)
        if not data:
            for pid in list(_children):
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
            return
        fields = data.decode("utf-8", "surrogateescape").split("\0")
        if fields[0] == "F":
            _fork(fields, fds)
        else:
            for fd in fds:
                os.close(fd)
            if fields[0] == "K" and int(fields[1]) in _children:
                try:
                    os.killpg(int(fields[1]), int(fields[2]))
                except OSError:
                    pass


_main()
