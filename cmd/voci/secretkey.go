package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/voci-platform/voci/internal/config"
)

// secretKeyFile is where the key that seals secrets at rest is kept, in base64, when
// VOCI_SECRET_KEY is not set.
const secretKeyFile = "secret.key"

// secretKey returns the key that seals secrets at rest (adults' second-factor secrets):
// VOCI_SECRET_KEY when set, otherwise the key kept in the data directory, made there (mode
// 0600) on the first start. With MongoDB several instances may serve one platform, and each
// would make a key of its own: it is made all the same, so that one instance starts with no
// setup, and the log says to give every instance the same VOCI_SECRET_KEY. The key itself is
// never logged.
func secretKey(cfg *config.Config, logger *slog.Logger) ([]byte, error) {
	if cfg.SecretKey != nil {
		return cfg.SecretKey, nil
	}
	path := filepath.Join(cfg.DataDir, secretKeyFile)
	key, made, err := loadOrMakeKey(path)
	if err != nil {
		return nil, err
	}
	if made {
		logger.Info("VOCI_SECRET_KEY is not set: a new key that encrypts secrets at rest was written to the data directory; back it up with the data", "file", path)
	}
	if cfg.MongoDBURI != "" {
		logger.Warn("VOCI_SECRET_KEY is not set: the key that encrypts secrets at rest is kept in this instance's data directory. "+
			"Every instance serving this platform needs the same key: set VOCI_SECRET_KEY on all of them to the content of this file", "file", path)
	}
	return key, nil
}

// loadOrMakeKey reads the key file, or creates it with a new random key. Two processes
// starting at once on one data directory agree: the file is created exclusively, and the one
// that loses reads the winner's.
func loadOrMakeKey(path string) (key []byte, made bool, err error) {
	for range 2 {
		b, err := os.ReadFile(path)
		if err == nil {
			if key, err = config.ParseSecretKey(string(b)); err != nil {
				return nil, false, &config.UsageError{Err: fmt.Errorf("%s: %w; restore it from a backup, or set VOCI_SECRET_KEY", path, err)}
			}
			return key, false, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("read the secret key: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return nil, false, fmt.Errorf("keep the secret key: %w", err)
		}
		key = make([]byte, config.SecretKeySize)
		rand.Read(key)
		// In base64, as VOCI_SECRET_KEY takes it: the file's content is what to give the
		// other instances.
		_, werr := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
		if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
			os.Remove(path)
			return nil, false, fmt.Errorf("keep the secret key: %w", err)
		}
		return key, true, nil
	}
	return nil, false, fmt.Errorf("the secret key file %s appeared and vanished", path)
}
