package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

func Insecure() *http.Client {
	// ruleid: go-tls-insecure-skip-verify
	config := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: config}}
}

func AlsoInsecure(config *tls.Config) {
	// ruleid: go-tls-insecure-skip-verify
	config.InsecureSkipVerify = true
}

func Strict(pool *x509.CertPool) *http.Client {
	// ok: go-tls-insecure-skip-verify
	config := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: config}}
}
