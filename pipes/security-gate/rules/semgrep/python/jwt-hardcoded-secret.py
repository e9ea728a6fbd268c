import os

import jwt


def issue(user):
    # ruleid: python-jwt-hardcoded-secret
    token = jwt.encode({"sub": user}, "s3cr3t-signing-key", algorithm="HS256")
    signing_key = "another-key-in-the-code"
    # ruleid: python-jwt-hardcoded-secret
    jwt.decode(token, signing_key, algorithms=["HS256"])
    # ok: python-jwt-hardcoded-secret
    return jwt.encode({"sub": user}, os.environ["JWT_SIGNING_KEY"], algorithm="HS256")
