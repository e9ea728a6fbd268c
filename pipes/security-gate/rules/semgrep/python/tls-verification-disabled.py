import ssl

import httpx
import requests


def fetch(url):
    # ruleid: python-tls-verification-disabled
    requests.get(url, verify=False)
    # ruleid: python-tls-verification-disabled
    httpx.post(url, json={}, verify=False)
    # ruleid: python-tls-verification-disabled
    context = ssl._create_unverified_context()
    session = requests.Session()
    # ruleid: python-tls-verification-disabled
    session.verify = False
    strict = ssl.create_default_context()
    # ruleid: python-tls-verification-disabled
    strict.verify_mode = ssl.CERT_NONE
    # ok: python-tls-verification-disabled
    requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")
    # ok: python-tls-verification-disabled
    requests.get(url, timeout=10)
    return context
