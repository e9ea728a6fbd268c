package auth

import (
	"os"

	"github.com/golang-jwt/jwt/v5"
)

func Issue(user string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": user})
	// ruleid: go-jwt-hardcoded-secret
	return token.SignedString([]byte("s3cr3t-signing-key"))
}

func IssueWithVariable(user string) (string, error) {
	key := []byte("another-key-in-the-code")
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": user})
	// ruleid: go-jwt-hardcoded-secret
	return token.SignedString(key)
}

func IssueSafely(user string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": user})
	// ok: go-jwt-hardcoded-secret
	return token.SignedString([]byte(os.Getenv("JWT_SIGNING_KEY")))
}
