#!/usr/bin/env python3
"""SPARQL benchmark: a BSBM-like dataset (products, producers, features, vendors, offers, persons,
reviews, after the Berlin SPARQL Benchmark's dataset specification) and a fixed explore query
mix, run side by side on datafond's `/sparql` and Oxigraph's server on the same data, in one run
(`oxigraph serve`, read-write like datafond's store, and `oxigraph serve-read-only`).
Prints query mixes per hour (QMpH) with 1 and 4 clients, uncached (every mix draws new
parameters, datafond's result cache off; medians of --rounds rounds in which the two servers
take turns on the same mixes) and with datafond's cache on a repeating mix; the server's CPU
time per mix; the time of `ASK {}` on both (the per-request overhead); and, robust to the
machine's drift, each server's CPU time per query of the mix, both servers up at once and
taking turns query by query (least of five rounds).

    python3 benches/sparql_bench.py [--triples 1000000] [--mixes 20] [--rounds 3] [--datafond PATH]

Needs a release build of datafond and `pip install oxigraph` (its `oxigraph` command).
"""
import argparse
import http.client
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

from measure import add_server_options, cpu_seconds, thread_cpu_seconds

NS = "http://bench.example/"
V = "http://bench.example/vocabulary/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
COUNTRIES = ["CZ", "DE", "AT", "SK", "PL", "US", "GB", "FR"]
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho".split()


def generate(path, target, seed=1):
    """Triples after the BSBM dataset specification (scaled down; same shapes)."""
    rnd = random.Random(seed)
    n = 0
    types, features, producers, vendors, persons = 20, 200, 50, 40, 1000
    out = open(path, "w", encoding="utf-8")

    def t(s, p, o):
        nonlocal n
        out.write(f"{s} {p} {o} .\n")
        n += 1

    def lit(text):
        return '"' + text + '"'

    def words(k):
        return " ".join(rnd.choice(WORDS) for _ in range(k))

    for i in range(types):
        t(f"<{NS}ProductType{i}>", f"<{RDFS}label>", lit(f"type {i}"))
    for i in range(features):
        t(f"<{NS}ProductFeature{i}>", f"<{RDFS}label>", lit(f"feature {words(2)}"))
    for i in range(producers):
        t(f"<{NS}Producer{i}>", f"<{RDFS}label>", lit(f"producer {i}"))
        t(f"<{NS}Producer{i}>", f"<{V}country>", f"<{NS}country/{rnd.choice(COUNTRIES)}>")
    for i in range(vendors):
        t(f"<{NS}Vendor{i}>", f"<{RDFS}label>", lit(f"vendor {i}"))
        t(f"<{NS}Vendor{i}>", f"<{V}country>", f"<{NS}country/{rnd.choice(COUNTRIES)}>")
    for i in range(persons):
        t(f"<{NS}Reviewer{i}>", f"<{V}name>", lit(f"reviewer {i}"))
        t(f"<{NS}Reviewer{i}>", f"<{V}country>", f"<{NS}country/{rnd.choice(COUNTRIES)}>")
    p = 0
    offer = review = 0
    while n < target:
        prod = f"<{NS}Product{p}>"
        t(prod, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{NS}ProductType{rnd.randrange(types)}>")
        t(prod, f"<{RDFS}label>", lit(f"product {words(2)} {p}"))
        t(prod, f"<{RDFS}comment>", lit(words(12)))
        t(prod, f"<{V}producer>", f"<{NS}Producer{rnd.randrange(producers)}>")
        for f in rnd.sample(range(features), 5):
            t(prod, f"<{V}productFeature>", f"<{NS}ProductFeature{f}>")
        for k in range(1, 4):
            t(prod, f"<{V}productPropertyNumeric{k}>", f'"{rnd.randrange(1, 2000)}"^^<{XSD}integer>')
        t(prod, f"<{V}productPropertyTextual1>", lit(words(3)))
        for _ in range(20):
            o = f"<{NS}Offer{offer}>"
            offer += 1
            t(o, f"<{V}product>", prod)
            t(o, f"<{V}vendor>", f"<{NS}Vendor{rnd.randrange(vendors)}>")
            t(o, f"<{V}price>", f'"{rnd.randrange(5, 10000)}.{rnd.randrange(100):02d}"^^<{XSD}decimal>')
            t(o, f"<{V}validTo>", f'"2027-{rnd.randrange(1, 13):02d}-15"^^<{XSD}date>')
            t(o, f"<{V}deliveryDays>", f'"{rnd.randrange(1, 8)}"^^<{XSD}integer>')
            t(o, f"<{V}offerWebpage>", f"<{NS}offer-page/{offer}>")
        for _ in range(10):
            r = f"<{NS}Review{review}>"
            review += 1
            t(r, f"<{V}reviewFor>", prod)
            t(r, f"<{V}reviewer>", f"<{NS}Reviewer{rnd.randrange(persons)}>")
            t(r, f"<{V}title>", lit(words(4)) + "@en")
            t(r, f"<{V}text>", lit(words(20)) + "@en")
            t(r, f"<{V}rating1>", f'"{rnd.randrange(1, 11)}"^^<{XSD}integer>')
            t(r, f"<{V}reviewDate>", f'"2026-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"^^<{XSD}date>')
        p += 1
    out.close()
    return {"products": p, "offers": offer, "reviews": review, "types": types, "features": features}


PREFIX = f"PREFIX v: <{V}> PREFIX rdfs: <{RDFS}> PREFIX b: <{NS}> PREFIX xsd: <{XSD}> "


def mix(rnd, sizes):
    """The explore mix (BSBM order: 1, 2, 2, 3, 2, 2, 4, 2, 2, 5, 7, 7, 8, 9, 9, 10, 10, 11, 12)."""
    prod = lambda: f"b:Product{rnd.randrange(sizes['products'])}"
    ptype = lambda: f"b:ProductType{rnd.randrange(sizes['types'])}"
    feat = lambda: f"b:ProductFeature{rnd.randrange(sizes['features'])}"
    offer = lambda: f"b:Offer{rnd.randrange(sizes['offers'])}"
    review = lambda: f"b:Review{rnd.randrange(sizes['reviews'])}"
    q = {
        1: lambda: f"SELECT DISTINCT ?p ?l WHERE {{ ?p a {ptype()} ; rdfs:label ?l ; v:productFeature {feat()} ; v:productPropertyNumeric1 ?n . FILTER(?n > {rnd.randrange(1, 1000)}) }} ORDER BY ?l LIMIT 10",
        2: lambda: f"SELECT ?l ?c ?producer ?f ?t WHERE {{ {prod()} rdfs:label ?l ; rdfs:comment ?c ; v:producer ?pr ; v:productFeature ?fe ; v:productPropertyTextual1 ?t . ?pr rdfs:label ?producer . ?fe rdfs:label ?f }}",
        3: lambda: f"SELECT ?p ?l WHERE {{ ?p a {ptype()} ; rdfs:label ?l ; v:productPropertyNumeric1 ?n1 ; v:productPropertyNumeric3 ?n3 . FILTER(?n1 > {rnd.randrange(1, 1000)} && ?n3 < {rnd.randrange(1000, 2000)}) FILTER NOT EXISTS {{ ?p v:productFeature {feat()} }} }} ORDER BY ?l LIMIT 10",
        4: lambda: f"SELECT DISTINCT ?p ?l WHERE {{ {{ ?p a {ptype()} ; v:productFeature {feat()} ; rdfs:label ?l }} UNION {{ ?p a {ptype()} ; v:productFeature {feat()} ; rdfs:label ?l }} }} ORDER BY ?l LIMIT 10",
        5: lambda: f"SELECT DISTINCT ?p ?l WHERE {{ {prod()} v:productFeature ?f ; v:productPropertyNumeric1 ?o1 . ?p v:productFeature ?f ; rdfs:label ?l ; v:productPropertyNumeric1 ?s1 . FILTER(?s1 > ?o1 - 120 && ?s1 < ?o1 + 120) }} ORDER BY ?l LIMIT 5",
        7: lambda: f"SELECT ?l ?o ?price ?vendor ?r ?title WHERE {{ {prod()} rdfs:label ?l . OPTIONAL {{ ?o v:product {prod()} ; v:price ?price ; v:vendor ?v ; v:validTo ?d . ?v rdfs:label ?vendor ; v:country <{NS}country/{rnd.choice(COUNTRIES)}> . FILTER(?d > \"2027-03-01\"^^xsd:date) }} OPTIONAL {{ ?r v:reviewFor {prod()} ; v:title ?title }} }}",
        8: lambda: f"SELECT ?title ?text ?date ?name WHERE {{ ?r v:reviewFor {prod()} ; v:title ?title ; v:text ?text ; v:reviewDate ?date ; v:reviewer ?rv . ?rv v:name ?name . FILTER(langMatches(lang(?text), \"en\")) }} ORDER BY DESC(?date) LIMIT 20",
        9: lambda: f"DESCRIBE ?x WHERE {{ {review()} v:reviewer ?x }}",
        10: lambda: f"SELECT DISTINCT ?o ?price WHERE {{ ?o v:product {prod()} ; v:vendor ?v ; v:deliveryDays ?d ; v:price ?price ; v:validTo ?t . ?v v:country <{NS}country/{rnd.choice(COUNTRIES)}> . FILTER(?d <= 3 && ?t > \"2027-01-01\"^^xsd:date) }} ORDER BY xsd:double(str(?price)) LIMIT 10",
        11: lambda: f"SELECT ?p ?o WHERE {{ {{ {offer()} ?p ?o }} UNION {{ ?o ?p {offer()} }} }}",
        12: lambda: f"CONSTRUCT {{ ?o v:price ?p ; v:vendor ?v ; v:product ?pr }} WHERE {{ BIND({offer()} AS ?o) ?o v:price ?p ; v:vendor ?v ; v:product ?pr }}",
    }
    order = [1, 2, 2, 3, 2, 2, 4, 2, 2, 5, 7, 7, 8, 9, 9, 10, 10, 11, 12]
    return [(k, PREFIX + q[k]()) for k in order]


def post(conn, path, kind, query):
    """Sends one query of the mix on `conn` (graphs as Turtle, solutions as JSON); its status."""
    accept = "text/turtle" if kind in (9, 12) else "application/sparql-results+json"
    body = urllib.parse.urlencode({"query": query})
    conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    r = conn.getresponse()
    r.read()
    return r.status


def client_run(port, path, mixes):
    """One client: runs `mixes` in order on one keep-alive connection; the failures."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    return [(kind, status) for queries in mixes for kind, query in queries
            if (status := post(conn, path, kind, query)) != 200]


def qmph(port, path, mix_lists):
    """Query mixes per hour with one client per list of mixes. Each client is its own process,
    so that clients do not wait on one another for Python's interpreter lock."""
    with multiprocessing.Pool(len(mix_lists)) as pool:
        pool.map(abs, range(len(mix_lists)), chunksize=1)  # every client is up before the clock
        start = time.time()
        errors = pool.starmap(client_run, [(port, path, m) for m in mix_lists], chunksize=1)
        elapsed = time.time() - start
    errors = [e for client in errors for e in client]
    if errors:
        sys.exit(f"errors: {errors[:5]}")
    return sum(len(m) for m in mix_lists) * 3600 / elapsed


def ask_ms(port, path, n=2000):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    q = urllib.parse.quote("ASK {}")
    start = time.time()
    for _ in range(n):
        conn.request("GET", f"{path}?query={q}", headers={"Accept": "application/sparql-results+json"})
        conn.getresponse().read()
    return (time.time() - start) * 1000 / n


def interleaved(servers, queries, rounds=5, n=30):
    """CPU time per query of each server, from the servers' own thread accounting: every query
    kind of `queries` is sent `n` times to one server, then to the next, for `rounds` rounds,
    and the least time of the rounds is kept (the machine's noise only ever adds time).
    `servers`: (name, port, path, pid). Returns {kind: {name: µs}}."""
    conns = {name: http.client.HTTPConnection("127.0.0.1", port, timeout=120)
             for name, port, _, _ in servers}
    kinds = list(dict(queries).items())
    best = {}
    for _ in range(rounds):
        for kind, query in kinds:
            for name, _, path, pid in servers:
                post(conns[name], path, kind, query)
                before = thread_cpu_seconds(pid)
                for _ in range(n):
                    post(conns[name], path, kind, query)
                spent = (thread_cpu_seconds(pid) - before) * 1e6 / n
                cell = best.setdefault(kind, {})
                cell[name] = min(cell.get(name, float("inf")), spent)
    return best


def wait(port, path):
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", f"{path}?query=ASK%7B%7D")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"port {port} never answered")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--mixes", type=int, default=20, help="mixes per client")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds in which the uncached servers take turns (medians reported)")
    add_server_options(parser)
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "bsbm.nt")
        sizes = generate(data, args.triples)
        print(f"{args.triples} triples: {sizes}")
        ddir, odir = os.path.join(tmp, "datafond"), os.path.join(tmp, "oxigraph")
        subprocess.run([os.path.abspath(args.datafond), "push", "--base", NS, "--data-dir", ddir, "bsbm", data],
                       check=True, capture_output=True, cwd=repo)
        subprocess.run([args.oxigraph, "load", "--location", odir, "--file", data], check=True, capture_output=True)
        # Both stores compacted, as after any bulk load in production.
        subprocess.run([os.path.abspath(args.datafond), "optimize", "--data-dir", ddir], check=True,
                       capture_output=True, cwd=repo)
        subprocess.run([args.oxigraph, "optimize", "--location", odir], check=True, capture_output=True)
        repeating = mix(random.Random(7), sizes)

        def start(cache):
            """Starts a server: `cache` is datafond's result cache in bytes, or for Oxigraph the
            command: `serve` (read-write, the peer the issue names) or `serve-read-only`.
            Returns the process, port and endpoint path."""
            if isinstance(cache, str):
                port, path = 17879, "/query"
                cmd = [args.oxigraph, cache, "--location", odir, "--bind", f"127.0.0.1:{port}"]
            else:
                port, path = 18281, "/sparql"
                config = os.path.join(tmp, "datafond.toml")
                with open(config, "w") as f:
                    f.write(f'base = "{NS}"\ndemo = false\nontologies_dir = "{tmp}/none"\n'
                            f'routing_rules_dir = "{tmp}/none"\n[sparql]\ncache_bytes = {cache}\ntimeout = 120\n')
                cmd = [os.path.abspath(args.datafond), "serve", "--config", config, "--data-dir", ddir,
                       "--listen", f"127.0.0.1:{port}"]
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=repo)
            wait(port, path)
            return proc, port, path

        def run(name, cache, seed):
            """One server's figures; `seed` draws the fresh mixes (the same for every server
            in a round)."""
            rnd = random.Random(seed)
            fresh = lambda clients: [[mix(rnd, sizes) for _ in range(args.mixes)] for _ in range(clients)]
            proc, port, path = start(cache)
            try:
                qmph(port, path, [[mix(random.Random(3), sizes)]])  # warm-up
                row = {"server": name, "ask": ask_ms(port, path)}

                def measured(key, mix_lists):
                    # Mixes per hour, and the server's CPU time per mix (ms): the CPU varies
                    # much less than the rate on a shared machine.
                    before = cpu_seconds(proc.pid)
                    row[key] = qmph(port, path, mix_lists)
                    mixes = sum(len(m) for m in mix_lists)
                    row[f"cpu{key}"] = (cpu_seconds(proc.pid) - before) * 1000 / mixes

                if cache != 64 << 20:
                    measured("1", fresh(1))
                    measured("4", fresh(4))
                measured("rep1", [[repeating] * args.mixes])
                measured("rep4", [[repeating] * args.mixes for _ in range(4)])
                return row
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait()

        # Uncached, the two servers take turns, round after round, on the same mixes; the
        # medians over the rounds are reported (this machine's speed drifts minute to minute).
        # Oxigraph both read-write (`serve`, as datafond's store is) and read-only (no RocksDB
        # snapshot per query: the stricter peer).
        servers = [("oxigraph serve", "serve"), ("oxigraph serve-read-only", "serve-read-only"),
                   ("datafond, cache off", 0)]
        rounds = {name: [] for name, _ in servers}
        for i in range(args.rounds):
            for name, cache in servers:
                row = run(name, cache, 42 + i)
                rounds[name].append(row)
                print(f"round {i + 1}: {name}: " + ", ".join(
                    f"{k} {v:.0f}" for k, v in row.items() if k in ("1", "4", "rep1", "rep4")), flush=True)
        # Paired by round, the ratio moves less than either server's rate.
        for peer, _ in servers[:2]:
            ratios = {k: statistics.median(d[k] / o[k] for d, o in zip(
                rounds["datafond, cache off"], rounds[peer])) for k in ("1", "4", "rep1", "rep4")}
            print(f"datafond, cache off vs {peer}, median of the rounds' ratios: "
                  + ", ".join(f"{k}: {v:.2f}x" for k, v in ratios.items()), flush=True)
        results = [{k: statistics.median(r[k] for r in rows) if k != "server" else name
                    for k in rows[0]} for name, rows in rounds.items()]
        results.append(run("datafond, cache on", 64 << 20, 42))
        print(f"\n{'server':<26}{'QMpH 1':>10}{'QMpH 4':>10}{'repeat 1':>10}{'repeat 4':>10}{'ASK ms':>9}")
        for r in results:
            cell = lambda k: f"{r[k]:>10.0f}" if k in r else f"{'-':>10}"
            print(f"{r['server']:<26}{cell('1')}{cell('4')}{cell('rep1')}{cell('rep4')}{r['ask']:>9.3f}")
        print(f"\nserver CPU per mix (ms)")
        for r in results:
            cell = lambda k: f"{r['cpu' + k]:>10.1f}" if "cpu" + k in r else f"{'-':>10}"
            print(f"{r['server']:<26}{cell('1')}{cell('4')}{cell('rep1')}{cell('rep4')}")
        # The same comparison, robust to the machine's drift: both servers up at once, taking
        # turns query by query; the least CPU time per query of five rounds.
        both = [("oxigraph serve", "serve"), ("datafond, cache off", 0)]
        started = [(name,) + start(cache) for name, cache in both]
        try:
            best = interleaved([(name, port, path, proc.pid) for name, proc, port, path in started],
                               repeating)
        finally:
            for _, proc, _, _ in started:
                proc.send_signal(signal.SIGTERM)
                proc.wait()
        names = [name for name, _ in both]
        print("\nserver CPU per query, least of 5 interleaved rounds of 30 (µs)")
        print(f"{'query':<8}" + "".join(f"{n:>22}" for n in names))
        total = dict.fromkeys(names, 0.0)
        for kind, cells in best.items():
            print(f"{'q' + str(kind):<8}" + "".join(f"{cells[n]:>22.0f}" for n in names))
            for n in names:
                total[n] += cells[n] * sum(1 for k, _ in repeating if k == kind)
        print(f"{'mix':<8}" + "".join(f"{total[n]:>22.0f}" for n in names)
              + f"   datafond: {total[names[1]] / total[names[0]]:.2f}x the CPU of oxigraph serve")

        print()
        for peer in results[:2]:
            for r in results[2:]:
                ratios = [f"{k}: {r[k] / peer[k]:.2f}x" for k in ("1", "4", "rep1", "rep4") if k in r]
                print(f"{r['server']} vs {peer['server']}: " + ", ".join(ratios)
                      + f"; ASK {r['ask'] / peer['ask']:.2f}x the time")


if __name__ == "__main__":
    main()
