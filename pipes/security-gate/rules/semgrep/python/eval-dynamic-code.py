import ast


def calculate(request):
    expression = request.form["expression"]
    # ruleid: python-eval-dynamic-code
    result = eval(expression)
    # ruleid: python-eval-dynamic-code
    exec("total = " + request.form["total"])
    # ok: python-eval-dynamic-code
    constant = eval("1 + 2")
    # ok: python-eval-dynamic-code
    parsed = ast.literal_eval(expression)
    return result, constant, parsed
