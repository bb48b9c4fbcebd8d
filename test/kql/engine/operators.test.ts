import { run, BudgetError } from "../../../scripts/kql/engine/index";

const NOW = "2026-05-06T10:00:00Z";
const T = `let T = datatable(Name:string, Dept:string, Salary:long, When:datetime)[
  "ann", "eng", 100, datetime(2026-05-01 10:15),
  "bob", "eng", 80, datetime(2026-05-01 10:45),
  "cat", "ops", 90, datetime(2026-05-01 11:05),
  "dan", "ops", long(null), datetime(2026-05-02)
];
`;

function q(query: string, options = {}) {
  return run(T + query, { now: NOW, ...options });
}
const names = (r: { columns: { name: string }[] }) => r.columns.map((c) => c.name);
const sorted = (rows: unknown[][]) =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe("filtering and projection", () => {
  it("where keeps rows whose condition is true", () => {
    expect(q("T | where Salary >= 90 | project Name").rows).toEqual([["ann"], ["cat"]]);
  });
  it("project renames, computes and names unnamed columns", () => {
    const r = q("T | take 1 | project Name, Pay = Salary * 2, strlen(Name)");
    expect(names(r)).toEqual(["Name", "Pay", "strlen_Name"]);
    expect(r.rows).toEqual([["ann", 200, 3]]);
  });
  it("project-away, project-keep with wildcards, project-rename, project-reorder", () => {
    expect(names(q("T | project-away Salary, W*"))).toEqual(["Name", "Dept"]);
    expect(names(q("T | project-keep N*, When"))).toEqual(["Name", "When"]);
    expect(names(q("T | project-rename Who = Name"))).toEqual(["Who", "Dept", "Salary", "When"]);
    expect(names(q("T | project-reorder When, Salary"))).toEqual([
      "When",
      "Salary",
      "Name",
      "Dept",
    ]);
  });
  it("extend replaces existing columns in place and sees earlier assignments", () => {
    const r = q("T | take 1 | extend Salary = Salary + 1, Double = Salary * 2");
    expect(names(r)).toEqual(["Name", "Dept", "Salary", "When", "Double"]);
    expect(r.rows[0].slice(2)).toEqual([101, "2026-05-01T10:15:00.0000000Z", 202]);
  });
});

describe("aggregation", () => {
  it("summarize by columns and bin(), with Kusto's column names", () => {
    const r = q("T | summarize count(), sum(Salary) by Dept");
    expect(names(r)).toEqual(["Dept", "count_", "sum_Salary"]);
    expect(sorted(r.rows)).toEqual([
      ["eng", 2, 180],
      ["ops", 2, 90],
    ]);
    const b = q("T | summarize n = count() by bin(When, 1h)");
    expect(names(b)).toEqual(["When", "n"]);
    expect(sorted(b.rows)).toEqual([
      ["2026-05-01T10:00:00.0000000Z", 2],
      ["2026-05-01T11:00:00.0000000Z", 1],
      ["2026-05-02T00:00:00.0000000Z", 1],
    ]);
  });
  it("summarize without by over no rows still gives one row", () => {
    expect(q("T | where false | summarize count()").rows).toEqual([[0]]);
    expect(q("T | where false | summarize count() by Dept").rows).toEqual([]);
  });
  it("arg_max(x, *) returns the whole row of the maximum", () => {
    const r = q("T | summarize arg_max(Salary, *) by Dept");
    expect(names(r)).toEqual(["Dept", "Salary", "Name", "When"]);
    expect(sorted(r.rows)).toEqual([
      ["eng", 100, "ann", "2026-05-01T10:15:00.0000000Z"],
      ["ops", 90, "cat", "2026-05-01T11:05:00.0000000Z"],
    ]);
  });
  it("take_any(*) and take_any(a, b) return one row's values", () => {
    const r = q("T | summarize take_any(*) by Dept");
    expect(names(r)).toEqual(["Dept", "Name", "Salary", "When"]);
    expect(r.rows).toHaveLength(2);
    expect(names(q("T | summarize take_any(Name, Salary) by Dept"))).toEqual([
      "Dept",
      "Name",
      "Salary",
    ]);
  });
  it("allows expressions over aggregates", () => {
    expect(q("T | summarize pct = 100.0 * countif(Salary > 85) / count()").rows).toEqual([[50]]);
  });
  it("count and distinct", () => {
    expect(q("T | count").rows).toEqual([[4]]);
    expect(sorted(q("T | distinct Dept").rows)).toEqual([["eng"], ["ops"]]);
  });
});

describe("summarize (a, b) = …", () => {
  it("names the columns of a multi-column aggregate", () => {
    const r = q("T | summarize (Top, Who) = arg_max(Salary, Name), n = count() by Dept");
    expect(names(r)).toEqual(["Dept", "Top", "Who", "n"]);
    expect(sorted(r.rows)).toEqual([
      ["eng", 100, "ann", 2],
      ["ops", 90, "cat", 2],
    ]);
  });
});

describe("ordering", () => {
  it("sorts descending by default with nulls last, ascending with nulls first", () => {
    expect(q("T | sort by Salary | project Name").rows.flat()).toEqual([
      "ann",
      "cat",
      "bob",
      "dan",
    ]);
    expect(q("T | sort by Salary asc | project Name").rows.flat()).toEqual([
      "dan",
      "bob",
      "cat",
      "ann",
    ]);
    expect(q("T | order by Salary asc nulls last | project Name").rows.flat()).toEqual([
      "bob",
      "cat",
      "ann",
      "dan",
    ]);
  });
  it("top and take", () => {
    expect(q("T | top 2 by Salary | project Name").rows.flat()).toEqual(["ann", "cat"]);
    expect(q("T | take 3").rows).toHaveLength(3);
  });
  it("serialize with row_number, prev, next and row_cumsum", () => {
    const r = q(
      "T | sort by Name asc | serialize | extend n = row_number(), p = prev(Name), x = next(Name), c = row_cumsum(1) | project n, p, x, c",
    );
    expect(r.rows).toEqual([
      [1, "", "bob", 1],
      [2, "ann", "cat", 2],
      [3, "bob", "dan", 3],
      [4, "cat", "", 4],
    ]);
  });
});

describe("top-nested", () => {
  const storms = `datatable(State:string, Source:string, EndLocation:string, BeginLat:real)[
    "K","LE","A",10, "K","LE","B",5, "K","P","C",20, "K","P","D",1, "K","X","E",3,
    "T","P","F",30, "T","LE","G",4, "O","P","H",2, "O","LE","I",1]
  `;
  it("ranks each level within its parent, descending, with aggregated_ names and types", () => {
    const r = run(
      storms + "| top-nested 1 of State by sum(BeginLat), top-nested 2 of Source by max(BeginLat)",
    );
    expect(r.columns).toEqual([
      { name: "State", type: "string" },
      { name: "aggregated_State", type: "real" },
      { name: "Source", type: "string" },
      { name: "aggregated_Source", type: "real" },
    ]);
    expect(r.rows).toEqual([
      ["K", 39, "P", 20],
      ["K", 39, "LE", 10],
    ]);
  });
  // The shape of Kusto's documented `with others` example (StormEvents, three levels).
  it("with others adds one record per group for the rows outside the top, deepest level first", () => {
    const r = run(
      storms +
        `| top-nested 2 of State with others = "All Other States" by sum(BeginLat),
           top-nested 2 of Source by sum(BeginLat),
           top-nested 1 of EndLocation with others = "All Other End Locations" by sum(BeginLat)`,
    );
    expect(r.rows).toEqual([
      ["K", 39, "P", 21, "C", 20],
      ["K", 39, "LE", 15, "A", 10],
      ["T", 34, "P", 30, "F", 30],
      ["T", 34, "LE", 4, "G", 4],
      ["K", 39, "P", 21, "All Other End Locations", 1],
      ["K", 39, "LE", 15, "All Other End Locations", 5],
      ["K", 39, null, null, "All Other End Locations", 3],
      ["All Other States", 3, null, null, "All Other End Locations", 3],
    ]);
  });
});

describe("join and lookup", () => {
  const J = `let L = datatable(k:long, a:string)[1, "x", 1, "y", 2, "z"];
let R = datatable(k:long, b:string)[1, "p", 3, "q"];
`;
  const j = (query: string) => run(J + query, { now: NOW });
  it("innerunique (the default) keeps one left row per key", () => {
    const r = j("L | join R on k");
    expect(names(r)).toEqual(["k", "a", "k1", "b"]);
    expect(r.rows).toHaveLength(1);
  });
  it("innerunique applies a following filter on left columns before removing duplicates", () => {
    // As Kusto pushes the filter to the left side (join-innerunique.md).
    expect(j('L | join R on k | where a == "y"').rows).toEqual([[1, "y", 1, "p"]]);
    // A filter on the right side's columns runs after the join.
    expect(j('L | join R on k | where b == "p"').rows).toEqual([[1, "x", 1, "p"]]);
    expect(j('L | join kind=inner R on k | where a == "y"').rows).toEqual([[1, "y", 1, "p"]]);
  });
  it("inner keeps every match", () => {
    expect(j("L | join kind=inner R on k").rows).toHaveLength(2);
  });
  it("leftouter, rightouter and fullouter fill the missing side", () => {
    expect(sorted(j("L | join kind=leftouter R on k").rows)).toEqual([
      [1, "x", 1, "p"],
      [1, "y", 1, "p"],
      [2, "z", null, ""],
    ]);
    expect(j("L | join kind=rightouter R on k").rows).toContainEqual([null, "", 3, "q"]);
    expect(j("L | join kind=fullouter R on k").rows).toHaveLength(4);
  });
  it("semi and anti joins keep one side", () => {
    expect(j("L | join kind=leftsemi R on k").rows).toEqual([
      [1, "x"],
      [1, "y"],
    ]);
    expect(j("L | join kind=leftanti R on k").rows).toEqual([[2, "z"]]);
    expect(j("L | join kind=rightanti R on k").rows).toEqual([[3, "q"]]);
    expect(j("L | join kind=rightsemi R on k").rows).toEqual([[1, "p"]]);
  });
  it("joins on $left/$right columns of different names", () => {
    const r = j("L | join kind=inner (R | project-rename key = k) on $left.k == $right.key");
    expect(names(r)).toEqual(["k", "a", "key", "b"]);
    expect(r.rows).toHaveLength(2);
  });
  it("lookup adds the right side's columns once", () => {
    const r = j("L | lookup R on k");
    expect(names(r)).toEqual(["k", "a", "b"]);
    expect(sorted(r.rows)).toEqual([
      [1, "x", "p"],
      [1, "y", "p"],
      [2, "z", ""],
    ]);
  });
});

describe("union", () => {
  it("outer by column name, with withsource", () => {
    const r = run(
      'let A = datatable(x:long)[1]; let B = datatable(x:long, y:string)[2, "b"]; union withsource=Src A, B',
      { now: NOW },
    );
    expect(names(r)).toEqual(["Src", "x", "y"]);
    expect(r.rows).toEqual([
      ["A", 1, ""],
      ["B", 2, "b"],
    ]);
  });
  it("names a piped table after itself in withsource", () => {
    const r = run(
      "let A = datatable(x:long)[1]; let B = datatable(x:long)[2]; A | union withsource=S B",
      { now: NOW },
    );
    expect(r.rows).toEqual([
      ["A", 1],
      ["B", 2],
    ]);
  });
  it("inner keeps the common columns; wildcards expand", () => {
    const r = run(
      'let A1 = datatable(x:long)[1]; let A2 = datatable(x:long, y:string)[2, "b"]; union kind=inner A*',
      {
        now: NOW,
      },
    );
    expect(names(r)).toEqual(["x"]);
    expect(sorted(r.rows)).toEqual([[1], [2]]);
  });
  // SigninLogs.ConditionalAccessPolicies is dynamic, AADNonInteractiveUserSignInLogs' a string:
  // Kusto.Language (and Kusto) put both typed columns where the name first appears. Operators
  // after the union take names from Kusto.Language by position, so the order must agree.
  it("puts a name with two types as two columns where it first appears", () => {
    const r = run(
      `let A = datatable(a:string, p:dynamic, z:long)["x", dynamic([1]), 1];
       let B = datatable(a:string, p:string, z:long)["y", "s", 2];
       union A, B | join kind=leftouter (datatable(a:string, w:long)["x", 7]) on a`,
    );
    expect(r.columns).toEqual([
      { name: "a", type: "string" },
      { name: "p_dynamic", type: "dynamic" },
      { name: "p_string", type: "string" },
      { name: "z", type: "long" },
      { name: "a1", type: "string" },
      { name: "w", type: "long" },
    ]);
    expect(sorted(r.rows)).toEqual([
      ["x", [1], "", 1, "x", 7],
      ["y", null, "s", 2, "", null],
    ]);
  });
});

describe("functions over table(name)", () => {
  // The common Sentinel pattern `let f = (t:string) { table(t) | … }; union f("A"), f("B")`:
  // the body is typed per call, as Kusto types it, so aggregates keep their column types.
  it("type the body for each call's table", () => {
    const r =
      run(`let f = (t:string) { table(t) | summarize Last = max(TimeGenerated) by UserPrincipalName };
      union f("SigninLogs"), f("AADNonInteractiveUserSignInLogs")`);
    expect(r.columns).toEqual([
      { name: "UserPrincipalName", type: "string" },
      { name: "Last", type: "datetime" },
    ]);
  });
  it("type a scalar function's result for its call, too", () => {
    const r = run(`let newest = (t:string) { toscalar(table(t) | summarize max(TimeGenerated)) };
      print x = newest("SigninLogs")`);
    expect(r.columns).toEqual([{ name: "x", type: "datetime" }]);
  });
  it("report an error inside the body at its place in the query", () => {
    expect(() =>
      run(
        'let f = (t:string) {\n  table(t)\n  | extend y = hash_combine(1, 2)\n};\nf("SigninLogs")',
      ),
    ).toThrow(/unsupported: function 'hash_combine\(\)' at line 3:16/);
  });
});

describe("expansion and parsing", () => {
  it("mv-expand arrays and bags, typed, with an item index", () => {
    const r = run("print a = dynamic([1, 2]) | mv-expand with_itemindex=i a to typeof(long)", {
      now: NOW,
    });
    expect(r.rows).toEqual([
      [1, 0],
      [2, 1],
    ]);
    const bag = run('print b = dynamic({"p": 1, "q": 2}) | mv-expand b', { now: NOW });
    expect(bag.rows).toEqual([[{ p: 1 }], [{ q: 2 }]]);
  });
  it("mv-apply runs the subquery per row", () => {
    const r = run(
      "datatable(id:long, xs:dynamic)[1, dynamic([5, 1, 3]), 2, dynamic([7])] | mv-apply x = xs to typeof(long) on (top 1 by x)",
      { now: NOW },
    );
    expect(r.rows.map((row) => [row[0], row[2]])).toEqual([
      [1, 5],
      [2, 7],
    ]);
  });
  it("mv-apply keeps a renamed array but not one expanded in place", () => {
    const data = "datatable(id:long, xs:dynamic)[1, dynamic([5, 1, 3]), 2, dynamic([7])]";
    const renamed = run(`${data} | mv-apply x = xs to typeof(long) on (summarize s = sum(x))`);
    expect(names(renamed)).toEqual(["id", "xs", "s"]);
    expect(renamed.rows).toEqual([
      [1, [5, 1, 3], 9],
      [2, [7], 7],
    ]);
    const inPlace = run(`${data} | mv-apply xs to typeof(long) on (summarize s = sum(xs))`);
    expect(names(inPlace)).toEqual(["id", "s"]);
    const kept = run(`${data} | mv-apply xs to typeof(long) on (top 1 by xs)`);
    expect(names(kept)).toEqual(["id", "xs"]);
    expect(kept.rows).toEqual([
      [1, 5],
      [2, 7],
    ]);
  });
  it("parse in simple, regex and relaxed modes, and parse-where", () => {
    const base = 'print s = "user=ann id=42 t=oops"';
    expect(
      run(`${base} | parse s with "user=" u " id=" id:long " t=" rest`, { now: NOW }).rows,
    ).toEqual([["user=ann id=42 t=oops", "ann", 42, "oops"]]);
    expect(
      run(`${base} | parse kind=regex s with "user=" u @"\\s+id=" id:long`, {
        now: NOW,
      }).rows[0].slice(1),
    ).toEqual(["ann", 42]);
    expect(
      run(`${base} | parse kind=relaxed s with "t=" t:long`, { now: NOW }).rows[0][1],
    ).toBeNull();
    expect(run(`${base} | parse-where s with "nomatch=" x`, { now: NOW }).rows).toEqual([]);
  });
  it("parse-kv", () => {
    const r = run(
      'print s = "a=1, b=x" | parse-kv s as (a:long, b:string) with (pair_delimiter=",", kv_delimiter="=")',
      {
        now: NOW,
      },
    );
    expect(r.rows[0].slice(1)).toEqual([1, "x"]);
  });
});

describe("let, functions and sources", () => {
  it("let scalars, tables, lambdas with defaults and named arguments", () => {
    const r = run(
      "let n = 2; let f = (x:long, y:long = 10) { x * y + n }; range i from 1 to 2 step 1 | extend a = f(i), b = f(y = 1, x = i)",
      { now: NOW },
    );
    expect(r.rows).toEqual([
      [1, 12, 3],
      [2, 22, 4],
    ]);
  });
  it("tabular functions, invoke, toscalar, materialize and as", () => {
    const r = run(
      "let top1 = (T:(x:long)) { T | top 1 by x }; let M = materialize(range x from 1 to 5 step 1); let mx = toscalar(M | summarize max(x)); M | invoke top1() | extend isMax = x == mx",
      { now: NOW },
    );
    expect(r.rows).toEqual([[5, true]]);
  });
  it("query parameters take the caller's values, else their defaults", () => {
    const q2 = 'declare query_parameters(n:long = 1, s:string = "a"); print n, s';
    expect(run(q2).rows).toEqual([[1, "a"]]);
    expect(run(q2, { parameters: { n: 5 } }).rows).toEqual([[5, "a"]]);
    expect(() => run("declare query_parameters(n:long); print n")).toThrow(/has no default/);
  });
  it("getschema, evaluate bag_unpack and pivot", () => {
    expect(q("T | getschema | project ColumnName, ColumnType").rows).toEqual([
      ["Name", "string"],
      ["Dept", "string"],
      ["Salary", "long"],
      ["When", "datetime"],
    ]);
    const b = run('print d = dynamic({"b": 2, "a": "x"}) | evaluate bag_unpack(d)', { now: NOW });
    expect(names(b)).toEqual(["a", "b"]);
    expect(b.rows).toEqual([["x", 2]]);
    const p = q("T | project Dept, Name | evaluate pivot(Dept)");
    expect(names(p)).toEqual(["Name", "eng", "ops"]);
  });
  it("reads caller tables (typed by known schemas), watchlists and externaldata", () => {
    const r = run(
      "SigninLogs | where TimeGenerated > ago(1h) | join kind=inner (_GetWatchlist('vip') | project UserPrincipalName = SearchKey) on UserPrincipalName | project UserPrincipalName",
      {
        now: NOW,
        tables: {
          SigninLogs: [
            { TimeGenerated: "2026-05-06T09:30:00Z", UserPrincipalName: "ann@contoso.com" },
            { TimeGenerated: "2026-05-05T09:30:00Z", UserPrincipalName: "ann@contoso.com" },
          ],
        },
        watchlists: { vip: [{ SearchKey: "ann@contoso.com" }] },
      },
    );
    expect(r.rows).toEqual([["ann@contoso.com"]]);
    const ext = run('externaldata(u:string)["https://example.org/list.csv"] | count', { now: NOW });
    expect(ext.rows).toEqual([[0]]);
  });
  it("treats an unsupplied known Sentinel table as empty with its schema", () => {
    const r = run("SecurityEvent | where EventID == 4625 | summarize count() by Account", {
      now: NOW,
    });
    expect(r.columns).toEqual([
      { name: "Account", type: "string" },
      { name: "count_", type: "long" },
    ]);
    expect(r.rows).toEqual([]);
  });
});

describe("reduce", () => {
  const values = (n: number, f: (i: number) => string) =>
    `datatable(s:string)[${Array.from({ length: n }, (_, i) => JSON.stringify(f(i + 1))).join(",")}]`;
  it("groups values by their frequent terms, after SLCT", () => {
    const r = run(`${values(10, (i) => `fooZ${i}`)} | reduce by s with characters="Z"`);
    expect(names(r)).toEqual(["Pattern", "Count", "Representative"]);
    expect(r.rows).toEqual([["foo*", 10, "fooZ1"]]);
    // Without "Z" as a separator every value is one rare term: all go to `others`.
    expect(run(`${values(10, (i) => `fooZ${i}`)} | reduce by s`).rows).toEqual([
      ["others", 10, ""],
    ]);
  });
  it("keeps default separators in the pattern and honours the threshold", () => {
    const r = run(
      `${values(20, (i) => (i <= 12 ? `San city${i}` : i <= 18 ? "Paris" : `x${i}`))} | reduce by s with threshold=0.2`,
    );
    expect(sorted(r.rows)).toEqual(
      sorted([
        ["San *", 12, "San city1"],
        ["Paris", 6, "Paris"],
        ["others", 2, ""],
      ]),
    );
  });
  it("kind=source appends each row's pattern", () => {
    const r = run(`${values(4, (i) => `a ${i}`)} | reduce kind=source by s with threshold=0.5`);
    expect(names(r)).toEqual(["s", "Pattern"]);
    expect(r.rows.map((x) => x[1])).toEqual(["a *", "a *", "a *", "a *"]);
  });
});

describe("evaluate basket", () => {
  const B = `let T = datatable(State:string, EventType:string, Damage:string, Crops:long)[
"TX","Hail","NO",0, "TX","Hail","NO",0, "OK","Hail","NO",0, "KS","Hail","YES",0, "KS","Wind","YES",5,
"TX","Wind","NO",0, "OK","Flood","NO",0, "KS","Hail","YES",3, "TX","Hail","NO",0, "OK","Wind","YES",0];
`;
  const patterns = (query: string) =>
    run(B + query).rows.map(
      (r) =>
        `${r[1]}:${r
          .slice(3)
          .map((v) => v ?? "null")
          .join("|")}`,
    );
  it("returns the closed frequent patterns with count and percent", () => {
    const r = run(B + "T | evaluate basket(0.3)");
    expect(names(r)).toEqual([
      "SegmentId",
      "Count",
      "Percent",
      "State",
      "EventType",
      "Damage",
      "Crops",
    ]);
    expect(r.rows[0].slice(0, 3)).toEqual([0, 8, 80]);
    const got = patterns("T | evaluate basket(0.3)");
    // {Damage=NO} (6 rows) is left out: every such row also has Crops=0.
    expect(got).toContain("6:||NO|0");
    expect(got).not.toContain("6:||NO|null");
    expect(got).toContain("3:TX|Hail|NO|0");
    expect(got).toContain("6:|Hail||null");
    // Below the threshold (3 of 10 rows): not returned.
    expect(got.some((p) => p.startsWith("2:") || p.startsWith("1:"))).toBe(false);
    expect(got).toHaveLength(11);
  });
  it("takes custom wildcards per type and a weight column", () => {
    const got = patterns("T | evaluate basket(0.3, '~', '~', '*', int(-1))");
    expect(got).toContain("6:*|Hail|*|-1");
    const w = run('datatable(a:string, n:long)["x", 9, "y", 1] | evaluate basket(0.5, "n")').rows;
    expect(w).toEqual([[0, 9, 90, "x"]]);
  });
});

describe("budgets", () => {
  it("stops a huge range with a row-budget error instead of exhausting memory", () => {
    expect(() =>
      run("range x from 1 to 1000000000000 step 1", { budget: { maxRows: 1000 } }),
    ).toThrow(BudgetError);
  });
  it("stops a runaway cross join", () => {
    expect(() =>
      run(
        "let A = range x from 1 to 3000 step 1 | extend k = 1; A | join kind=inner A on k | count",
        { budget: { maxRows: 100_000 } },
      ),
    ).toThrow(/row budget exceeded/);
  });
  it("stops deep dynamic nesting with a budget error, not a crash", () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    expect(() => run(`print d = dynamic(${deep})`)).toThrow(BudgetError);
  });
  it("stops on the memory budget", () => {
    expect(() =>
      run("range x from 1 to 100000 step 1 | extend y = strcat('a', x)", {
        budget: { maxHeapBytes: 1 },
      }),
    ).toThrow(/memory budget exceeded/);
  });
  it("stops on the time budget", () => {
    expect(() =>
      run("range x from 1 to 3000000 step 1 | extend y = strcat(x, 'a') | summarize dcount(y)", {
        budget: { maxMillis: 50 },
      }),
    ).toThrow(/time budget exceeded/);
  });
});

describe("search and scan", () => {
  it("search matches terms in any column, or in one column with Col:term", () => {
    const base = 'datatable(a:string, b:long)["hello world", 1, "bye", 2]';
    expect(run(`${base} | search "hello"`, { now: NOW }).rows).toEqual([["hello world", 1]]);
    expect(run(`${base} | search a:"by*"`, { now: NOW }).rows).toEqual([["bye", 2]]);
    const r = run(
      'let T1 = datatable(a:string)["x"]; let T2 = datatable(c:string)["err here"]; search in (T1, T2) "err"',
      {
        now: NOW,
      },
    );
    expect(r.rows).toEqual([["T2", "", "err here"]]);
  });
  it("scan carries state between rows and numbers matches", () => {
    const r = run(
      "range x from 1 to 4 step 1 | scan declare (total:long = 0) with (step s1: true => total = x + s1.total;)",
      { now: NOW },
    );
    expect(r.rows).toEqual([
      [1, 1],
      [2, 3],
      [3, 6],
      [4, 10],
    ]);
    const m = run(
      'datatable(e:string)["a", "start", "b", "stop", "c"] | scan with_match_id=id with (step s1: e == "start"; step s2: e == "stop";)',
      { now: NOW },
    );
    expect(m.rows).toEqual([
      ["start", 0],
      ["stop", 0],
    ]);
  });
});

describe("known functions (schemas/functions)", () => {
  it("runs a shipped ASIM parser's body over the caller's tables", () => {
    const r = run("imDns(starttime = ago(1d)) | project SrcIpAddr, EventSchema", {
      now: NOW,
      tables: {
        ASimDnsActivityLogs: [
          {
            TimeGenerated: "2026-05-06T09:00:00Z",
            SrcIpAddr: "10.0.0.1",
            DnsQuery: "a.contoso.com",
          },
          {
            TimeGenerated: "2026-05-01T09:00:00Z",
            SrcIpAddr: "10.0.0.2",
            DnsQuery: "b.contoso.com",
          },
        ],
      },
    });
    expect(r.rows).toEqual([["10.0.0.1", "Dns"]]);
  });
  it("makes an unsupplied watchlist an empty table with _GetWatchlist's columns", () => {
    const r = run("_GetWatchlist('vip') | project SearchKey", { now: NOW });
    expect(r).toEqual({ columns: [{ name: "SearchKey", type: "string" }], rows: [] });
  });
  it("reports positions in the caller's query, not in the parser's body", () => {
    expect(() => run("imDns()\n| extend x = nofn()", { now: NOW })).toThrow(/at line 2:14/);
  });
});

describe("partition, top-hitters, sample-distinct", () => {
  const base = "range x from 1 to 10 step 1 | extend k = x % 3";
  it("partition runs the subquery per value", () => {
    expect(sorted(run(`${base} | partition by k (top 1 by x)`, { now: NOW }).rows)).toEqual(
      [
        [10, 1],
        [8, 2],
        [9, 0],
      ].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    );
  });
  it("partition { query } runs a query with its own source once per key value", () => {
    const T = 'let T = datatable(k:long, v:string)[1, "a", 2, "b", 2, "c"];';
    // The documented legacy example's shape: the key is a scalar named after the column.
    expect(
      run(
        `${T} range x from 1 to 2 step 1 | partition hint.strategy=legacy by x {T | where k == x} | count`,
      ).rows,
    ).toEqual([[3]]);
    expect(
      sorted(
        run(
          `${T} range x from 1 to 3 step 1 | partition by x {T | where k == toscalar(x) | extend p = x}`,
        ).rows,
      ),
    ).toEqual([
      [1, "a", 1],
      [2, "b", 2],
      [2, "c", 2],
    ]);
    expect(() => run("range x from 1 to 65 step 1 | partition by x {print y = x}")).toThrow(
      /at most 64 partitions; the key has 65 values/,
    );
  });
  it("partition ( as P | … ) can refer to its partition by name (documented example)", () => {
    const r = run(`datatable(Dim:string, Metric:long)["a", 1, "a", 3, "b", 2]
      | partition by Dim ( as Partition | extend MetricPct = Metric * 100.0 / toscalar(Partition | summarize sum(Metric)) )`);
    expect(sorted(r.rows)).toEqual([
      ["a", 1, 25],
      ["a", 3, 75],
      ["b", 2, 100],
    ]);
  });
  it("top-hitters counts (or sums) exactly", () => {
    expect(run(`${base} | top-hitters 2 of k`, { now: NOW }).rows).toEqual([
      [1, 4],
      [0, 3],
    ]);
    expect(run(`${base} | top-hitters 1 of k by x`, { now: NOW }).rows).toEqual([[1, 22]]);
  });
  it("sample-distinct returns distinct values", () => {
    expect(run(`${base} | sample-distinct 5 of k`, { now: NOW }).rows).toHaveLength(3);
  });
});

describe("find", () => {
  const tables =
    'let A = datatable(x:long, y:string)[1, "a", 2, "b"]; let B = datatable(x:long, z:string)[1, "c"]; ';
  it("returns source_, the predicate's columns and packs the rest", () => {
    const r = run(`${tables}find in (A, B) where x == 1`, { now: NOW });
    expect(names(r)).toEqual(["source_", "x", "pack_"]);
    expect(r.rows).toEqual([
      ["A", 1, { y: "a" }],
      ["B", 1, { z: "c" }],
    ]);
  });
  it("projects the listed columns, empty where a table lacks one", () => {
    const r = run(`${tables}find withsource=S in (A, B) where x == 1 project y, z`, { now: NOW });
    expect(names(r)).toEqual(["S", "y", "z"]);
    expect(r.rows).toEqual([
      ["A", "a", ""],
      ["B", "", "c"],
    ]);
  });
});

describe("evaluate plugins", () => {
  it("rows_near keeps matching rows and their neighbours", () => {
    const r = run("range x from 1 to 9 step 1 | evaluate rows_near(x == 5, 1, 2)", { now: NOW });
    expect(r.rows.flat()).toEqual([4, 5, 6, 7]);
  });
  it("ipv4_lookup and ipv6_lookup match addresses to ranges", () => {
    const v4 = run(
      'let R = datatable(net:string, tag:string)["10.0.0.0/8", "internal"]; datatable(ip:string)["10.1.2.3", "8.8.8.8"] | evaluate ipv4_lookup(R, ip, net, return_unmatched = true)',
      { now: NOW },
    );
    expect(v4.rows).toEqual([
      ["10.1.2.3", "10.0.0.0/8", "internal"],
      ["8.8.8.8", "", ""],
    ]);
    const v6 = run(
      'let R = datatable(net:string, tag:string)["2001:db8::/32", "doc"]; datatable(ip:string)["2001:db8:1::1", "2002::1"] | evaluate ipv6_lookup(R, ip, net)',
      { now: NOW },
    );
    expect(v6.rows).toEqual([["2001:db8::/32", "doc", "2001:db8:1::1"]]);
  });
  it("sliding_window_counts and rolling_percentile", () => {
    const data =
      'datatable(u:string, t:datetime)["a", datetime(2020-01-01), "b", datetime(2020-01-01), "a", datetime(2020-01-02)]';
    const s = run(
      `${data} | evaluate sliding_window_counts(u, t, datetime(2020-01-01), datetime(2020-01-02), 2d, 1d)`,
      {
        now: NOW,
      },
    );
    expect(s.rows).toEqual([
      ["2020-01-01T00:00:00.0000000Z", 2, 2],
      ["2020-01-02T00:00:00.0000000Z", 3, 2],
    ]);
    const p = run("range x from 1 to 4 step 1 | evaluate rolling_percentile(x, 50, x, 2, 1)", {
      now: NOW,
    });
    expect(p.rows).toEqual([
      [0, 1],
      [2, 2],
      [4, 4],
    ]);
  });
});
