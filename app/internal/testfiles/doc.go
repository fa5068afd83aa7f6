// Package testfiles writes the data files that the tests of app and
// app/pipeline read: a file of given content, and a folder of hourly
// series of one CSV each. It is for tests only.
package testfiles
