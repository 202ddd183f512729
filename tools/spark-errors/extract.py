"""Extracts the Spark error conditions weir raises into lib/errorConditions/sparkErrorConditions.json.

Reads Spark's own data, never a copy of it: the JVM conditions from `error/error-conditions.json` in the
spark-common-utils jar and PySpark's own conditions from `pyspark/errors/error-conditions.json`, both taken from
the pyspark sdist (it ships the jar under deps/jars/). A condition is kept when weir's product code names it: a
`[CONDITION]` or `[CONDITION.SUB]` text, or a `sparkError(code, 'CONDITION...'`, `analysisMessage('CONDITION...'`
or `condition: 'CONDITION...'` argument. Each kept condition keeps its message lines, its SQLSTATE and all its sub-conditions, exactly as Spark
has them. Names found in the code that Spark does not have are printed (and left out), so a typo shows here and
in spec/errorConditions.

    python3 tools/spark-errors/extract.py /tmp/x/pyspark-4.3.0.tar.gz

`npm test` reads only the committed JSON (no Python, no jar).
"""
import io
import json
import os
import re
import sys
import tarfile
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'lib', 'errorConditions', 'sparkErrorConditions.json')
PRODUCT = ['index.ts', 'lib', 'operators', 'sources', 'sinks', 'connectors']
NAME = r"_?[A-Z][A-Z0-9_]{3,}(?:\.[A-Z][A-Z0-9_]+)?"
PATTERNS = [
    re.compile(r"\[(" + NAME + r")\]"),
    re.compile(r"(?:sparkError\(\s*[^,()]+,|analysisMessage\(|condition:)\s*'(" + NAME + r")'"),
]


def names_in_code():
    found = set()
    for top in PRODUCT:
        path = os.path.join(ROOT, top)
        files = [path] if os.path.isfile(path) else [
            os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs if f.endswith('.ts')
        ]
        for f in files:
            text = open(f, encoding='utf-8').read()
            for p in PATTERNS:
                found.update(p.findall(text))
    return found


def read_sdist(sdist):
    with tarfile.open(sdist) as tar:
        members = {m.name: m for m in tar.getmembers()}
        jar_name = next(n for n in members if re.search(r'/deps/jars/spark-common-utils_[0-9.]+-[0-9.]+\.jar$', n))
        py_name = next(n for n in members if n.endswith('/pyspark/errors/error-conditions.json'))
        jar = zipfile.ZipFile(io.BytesIO(tar.extractfile(members[jar_name]).read()))
        manifest = jar.read('META-INF/MANIFEST.MF').decode()
        version = re.search(r'Implementation-Version: (\S+)', manifest).group(1)
        jvm = json.loads(jar.read('error/error-conditions.json'))
        python = json.loads(tar.extractfile(members[py_name]).read())
    return version, os.path.basename(jar_name), jvm, python


def entry(info, origin):
    out = {'origin': origin, 'message': info['message']}
    if 'sqlState' in info:
        out['sqlState'] = info['sqlState']
    if 'subClass' in info:
        out['subClass'] = {k: {'message': v['message']} for k, v in sorted(info['subClass'].items())}
    return out


def main():
    version, jar_name, jvm, python = read_sdist(sys.argv[1])
    conditions, unknown = {}, []
    for name in sorted(names_in_code()):
        top, _, sub = name.partition('.')
        source = jvm if top in jvm else python if top in python else None
        if source is None or (sub and sub not in source[top].get('subClass', {})):
            unknown.append(name)
            continue
        conditions[top] = entry(source[top], 'jvm' if source is jvm else 'python')
    data = {
        'sparkVersion': version,
        'sources': {
            'jvm': jar_name + '!/error/error-conditions.json',
            'python': 'pyspark-' + version + '/pyspark/errors/error-conditions.json',
        },
        'conditions': conditions,
    }
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'{len(conditions)} conditions of Spark {version} written to {os.path.relpath(OUT, ROOT)}')
    if unknown:
        print('not Spark conditions (left out): ' + ', '.join(unknown))


if __name__ == '__main__':
    main()
