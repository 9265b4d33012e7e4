#!/usr/bin/env python3
"""Resolver benchmark: datafond's redirects side by side with nginx 1.22 answering the same rules
(the configuration `datafond routes export --nginx` writes: `map` + `return`), on loopback, in one
run; plus load time and peak memory of checking 1,000,000 rules.

    python3 benches/resolver_bench.py [--rules 100000] [--load-rules 1000000] [--seconds 10]
                                      [--rounds 1]

Two rule sets of --rules rules each: exact IRIs (nginx hashes them: its best case) and templates
with one variable (`https://ref.example/set-<i>/{id}`; nginx tests its regular expressions one by
one). Requests pick a random rule; wrk does not follow redirects. With --rounds N, each rule set
is measured N times, the servers' order swapped every round and each server started afresh, and
medians over the rounds follow the per-round table. Needs a release build, `nginx`
(apt-get install nginx) and `wrk` (apt-get install wrk).
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from measure import add_server_options, print_rounds_summary, run_wrk, serving, wrk_script

HOST = "ref.example"
BASE = "http://local.example/"


def write_rules(path, count, kind):
    """`count` rules of `kind` (exact or template); returns a sample request path per rule."""
    paths = []
    with open(path, "w") as out:
        for i in range(count):
            if kind == "exact":
                out.write(f'[[rule]]\nid = "r{i}"\nexact = "https://{HOST}/set/{i}"\n'
                          f'target = "{{base}}data/{i}"\n\n')
                paths.append(f"/set/{i}")
            else:
                out.write(f'[[rule]]\nid = "t{i}"\ntemplate = "https://{HOST}/set-{i}/{{id}}"\n'
                          f'target = "{{base}}data/{i}/{{id}}"\n\n')
                paths.append(f"/set-{i}/item-{i % 97}")
    return paths


def wait_for(port, path, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
            opener = urllib.request.build_opener(NoRedirect)
            opener.open(req, timeout=5)
        except urllib.error.HTTPError as e:
            if e.code in (301, 302, 303, 307, 308):
                return
        except Exception:
            pass
        time.sleep(0.3)
    sys.exit(f"port {port} never answered {path}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def nginx_conf(tmp, exported, port):
    body = exported.replace("listen 80;", f"listen 127.0.0.1:{port};")
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 2;
error_log {tmp}/nginx-error.log;
pid {tmp}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{body}
}}
""")
    return conf


def peak_rss_of(cmd, cwd):
    """Runs `cmd`; returns (seconds, peak RSS in MiB, output)."""
    start = time.time()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True,
                          cwd=cwd)
    seconds = time.time() - start
    rss_kib = int(proc.stderr.strip().splitlines()[-1])
    return seconds, rss_kib / 1024, proc.stdout + proc.stderr


def measure_server(name, port, cmd, kind, round_no, paths, paths_file, seconds, tmp, repo):
    """One server, started afresh: saturated, then at a steady pace. Rows of
    (round, case, server, req/s, p50, p99, CPU µs per request)."""
    with serving(cmd, repo, signal.SIGTERM if name == "datafond" else signal.SIGQUIT) as proc:
        wait_for(port, paths[0])
        saturated = run_wrk(port, wrk_script(paths_file, "Host", HOST), seconds, 32, tmp,
                            proc.pid)
        paced = run_wrk(port, wrk_script(paths_file, "Host", HOST, pause_ms=1), seconds, 32,
                        tmp, proc.pid)
    return [(round_no, kind, name, *saturated), (round_no, f"{kind} paced", name, *paced)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", type=int, default=100_000)
    parser.add_argument("--load-rules", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure each rule set this many times, alternating the servers")
    parser.add_argument("--kinds", default="exact,template",
                        help="rule sets to measure (exact, template)")
    add_server_options(parser, oxigraph=False)
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    datafond = os.path.abspath(args.datafond)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            rules_dir = os.path.join(tmp, f"rules-{kind}")
            os.makedirs(rules_dir)
            paths = write_rules(os.path.join(rules_dir, "bench.toml"), args.rules, kind)
            random.seed(11)
            random.shuffle(paths)
            paths_file = os.path.join(tmp, "paths.txt")
            with open(paths_file, "w") as f:
                f.write("\n".join(paths) + "\n")
            exported = subprocess.run(
                [datafond, "routes", "export", "--nginx", "--dir", rules_dir, "--base", BASE],
                check=True, capture_output=True, text=True, cwd=repo).stdout
            config = os.path.join(tmp, "datafond.toml")
            with open(config, "w") as f:
                f.write(f'base = "{BASE}"\ndemo = false\nrouting_rules_dir = "{rules_dir}"\n'
                        f'ontologies_dir = "{tmp}/none"\n')
            servers = [
                ("datafond", 18181, [datafond, "serve", "--sandbox", "--config", config,
                                     "--listen", "127.0.0.1:18181"]),
                ("nginx 1.22", 18182, [args.nginx, "-g", "daemon off;", "-c",
                                       nginx_conf(tmp, exported, 18182)]),
            ]
            for round_no in range(args.rounds):
                # Every other round nginx goes first: drift of the machine hits both alike.
                order = servers if round_no % 2 == 0 else servers[::-1]
                for name, port, cmd in order:
                    rows.extend(measure_server(name, port, cmd, kind, round_no, paths,
                                               paths_file, args.seconds, tmp, repo))

        print(f"{args.rules} rules per set; wrk -t2 -c32 -d{args.seconds}s, random rule per request;"
              " `paced`: each connection pauses 1 ms after every answer\n")
        print(f"{'round':<7}{'rules':<16}{'server':<12}{'req/s':>10}{'p50':>10}{'p99':>10}"
              f"{'vs nginx':>10}{'CPU/req':>10}")
        for round_no, kind, name, rps, p50, p99, cpu in rows:
            peer = next(r[3] for r in rows
                        if r[0] == round_no and r[1] == kind and r[2].startswith("nginx"))
            print(f"{round_no + 1:<7}{kind:<16}{name:<12}{rps:>10.0f}{p50:>10}{p99:>10}"
                  f"{rps / peer:>9.2f}x{cpu:>8.1f}us")
        if args.rounds > 1:
            print_rounds_summary(rows, "nginx 1.22", "rules")

        if not args.load_rules:
            return
        load_dir = os.path.join(tmp, "rules-load")
        os.makedirs(load_dir)
        write_rules(os.path.join(load_dir, "bench.toml"), args.load_rules, "exact")
        seconds, rss, out = peak_rss_of(
            [datafond, "routes", "check", "--dir", load_dir, "--base", BASE], repo)
        print(f"\n`routes check` of {args.load_rules} rules (load, compile, every check): "
              f"{seconds:.1f} s, peak RSS {rss:.0f} MiB")
        print(out.strip().splitlines()[-2] if len(out.strip().splitlines()) > 1 else out.strip())


if __name__ == "__main__":
    main()
