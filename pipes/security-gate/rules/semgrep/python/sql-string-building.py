def find_user(connection, request):
    user_id = request.args["id"]
    cursor = connection.cursor()
    # ruleid: python-sql-string-building
    cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")
    # ruleid: python-sql-string-building
    cursor.execute("SELECT * FROM users WHERE name = '" + request.args["name"] + "'")
    # ruleid: python-sql-string-building
    cursor.execute("DELETE FROM sessions WHERE user = '%s'" % user_id)
    # ruleid: python-sql-string-building
    cursor.execute("SELECT * FROM orders WHERE user = {}".format(user_id))
    query = "SELECT * FROM audit WHERE actor = " + user_id
    # ruleid: python-sql-string-building
    cursor.execute(query)
    # ok: python-sql-string-building
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    # ok: python-sql-string-building
    cursor.execute("SELECT count(*) FROM users")
    return cursor.fetchall()


def count_rows(connection, table):
    cursor = connection.cursor()
    # ok: python-sql-string-building
    cursor.execute("SELECT count(*) " + "FROM users")
    total = "SELECT " + "1"
    # ok: python-sql-string-building
    cursor.execute(total)
    return cursor.fetchone()
