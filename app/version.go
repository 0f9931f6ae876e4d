package app

// Version is the release of this program; `quality version` prints it.
var Version = "0.1.0"
