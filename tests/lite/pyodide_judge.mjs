// Run the workshop's checks in Pyodide under Node, offline, and print their results as JSON.
//   node tests/pyodide_judge.mjs PYODIDE_DIR JOB.json
// JOB: {"wheels": folder of pure-Python wheels, "repo": the workshop's folder, "mounts": host folders to
// see at the same path, "runs": [{"parent": folder holding part1_basic_app, "steps": [1, ...]}]}.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, jobFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile, "utf-8"));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: () => {} });
for (const folder of job.mounts) {
  pyodide.FS.mkdirTree(folder);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: folder }, folder);
}
pyodide.globals.set("job", pyodide.toPy(job));
const output = await pyodide.runPythonAsync(`
import json, os, site, sys, time, zipfile
sys.dont_write_bytecode = True
for name in sorted(os.listdir(job["wheels"])):
    if name.endswith(".whl"):
        zipfile.ZipFile(os.path.join(job["wheels"], name)).extractall(site.getsitepackages()[0])
sys.path.insert(0, job["repo"])
from workshop.judge import inprocess
found = {"platform": sys.platform, "python": sys.version.split()[0], "runs": []}
for run in job["runs"]:
    started = time.perf_counter()
    results = inprocess.judge(run["parent"], run["steps"]).results
    found["runs"].append({"results": results, "seconds": time.perf_counter() - started})
json.dumps(found)
`);
process.stdout.write(output + "\n");
