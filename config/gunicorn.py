"""gunicorn settings that the command line cannot carry (a `%` in a systemd unit would have to be doubled).

Loaded by every way wuye runs under gunicorn, with `--config python:config.gunicorn`: docs/deploy/wuye.service,
compose.yaml and scripts/ci_stack.sh. The rest of the options stay on their command lines, where they are read.

Access log: the path only. A query string can hold what an agent typed into the caller lookup or a search box
(a full phone number, a name), and the Referer header repeats the previous page's query, so neither is written;
gunicorn's default format (`%(r)s` and `%(f)s`) would keep both in the log for as long as the log is kept.
docs/deploy/nginx.conf logs the same way (log_format wuye_private). scripts/ci_stack.sh proves it on the real stack.
"""

# remote address, user, time, "METHOD /path PROTOCOL", status, bytes, user agent, seconds
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'
