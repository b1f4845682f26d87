package testwait

import (
	"sync"
	"testing"
	"time"
)

func TestRecv(t *testing.T) {
	ch := make(chan int, 1)
	ch <- 7
	if v := Recv(t, ch, "a value"); v != 7 {
		t.Fatalf("Recv = %d, want 7", v)
	}
	if v, ok := recv(make(chan int), 50*time.Millisecond); ok || v != 0 {
		t.Fatalf("recv on a silent channel = %d, %v; want 0, false", v, ok)
	}
}

func TestGroup(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go wg.Done()
	Group(t, &wg, Timeout, "one worker")
	var stuck sync.WaitGroup
	stuck.Add(1)
	defer stuck.Done()
	if group(&stuck, 50*time.Millisecond) {
		t.Fatalf("group reported a stuck WaitGroup as done")
	}
}
