function calculate(req) {
  // ruleid: js-eval-dynamic-code
  const result = eval(req.body.expression);
  // ruleid: js-eval-dynamic-code
  const fn = new Function("a", "b", "return " + req.body.formula);
  // ruleid: js-eval-dynamic-code
  setTimeout("refresh(" + req.query.id + ")", 100);
  // ok: js-eval-dynamic-code
  const constant = eval("1 + 2");
  // ok: js-eval-dynamic-code
  setTimeout(() => refresh(req.query.id), 100);
  // ok: js-eval-dynamic-code
  const parsed = JSON.parse(req.body.expression);
  return [result, fn, constant, parsed];
}

function refresh() {}

module.exports = { calculate };
