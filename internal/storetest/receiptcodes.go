package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

var receiptDay = time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC)

func receiptFor(hash, consultation string) *voci.Receipt {
	return &voci.Receipt{Hash: hash, ConsultationID: consultation, Municipality: 20297, IssuedOn: receiptDay, Lang: "hu"}
}

// testReceiptCodes: a receipt is issued once by its hash, found by it, marked opened after
// feedback once, answers back once, and the counts of each consultation add up apart.
func testReceiptCodes(t *testing.T, s voci.Store) {
	ctx := t.Context()
	_, err := s.FindReceiptByHash(ctx, "h-none")
	wantCode(t, "unknown receipt", err, voci.ENOTFOUND)

	got, isNew, err := s.IssueReceipt(ctx, receiptFor("h-1", "cons-r"))
	if err != nil || !isNew || got.Hash != "h-1" || got.ConsultationID != "cons-r" || got.Municipality != 20297 ||
		!got.IssuedOn.Equal(receiptDay) || got.Lang != "hu" || !got.OpenedAfterFeedbackOn.IsZero() || got.AnsweredBack {
		t.Fatalf("issue: %+v %v %v", got, isNew, err)
	}
	// Issuing again (the end screen shown twice) changes nothing; another consultation's
	// receipt under the same hash is not written over the first.
	again, isNew, err := s.IssueReceipt(ctx, &voci.Receipt{Hash: "h-1", ConsultationID: "cons-other", Municipality: 1, IssuedOn: receiptDay.AddDate(0, 0, 3), Lang: "ro"})
	if err != nil || isNew || again.ConsultationID != "cons-r" || again.Lang != "hu" || !again.IssuedOn.Equal(receiptDay) {
		t.Fatalf("issue again: %+v %v %v", again, isNew, err)
	}
	for _, h := range []string{"h-2", "h-3"} {
		if _, _, err := s.IssueReceipt(ctx, receiptFor(h, "cons-r")); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.IssueReceipt(ctx, receiptFor("h-x", "cons-x")); err != nil {
		t.Fatal(err)
	}
	found, err := s.FindReceiptByHash(ctx, "h-2")
	if err != nil || found.ConsultationID != "cons-r" || !found.IssuedOn.Equal(receiptDay) {
		t.Fatalf("find: %+v %v", found, err)
	}

	opened := receiptDay.AddDate(0, 2, 0)
	if first, err := s.MarkReceiptOpenedAfterFeedback(ctx, "h-1", opened); err != nil || !first {
		t.Fatalf("mark opened: %v %v", first, err)
	}
	if first, err := s.MarkReceiptOpenedAfterFeedback(ctx, "h-1", opened.AddDate(0, 0, 1)); err != nil || first {
		t.Fatalf("mark opened again: %v %v", first, err)
	}
	if _, err := s.MarkReceiptOpenedAfterFeedback(ctx, "h-none", opened); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("mark unknown: %v", err)
	}
	if found, err := s.FindReceiptByHash(ctx, "h-1"); err != nil || !found.OpenedAfterFeedbackOn.Equal(opened) {
		t.Fatalf("opened day: %+v %v", found, err)
	}

	if err := s.RecordReceiptAnswerBack(ctx, "h-1", voci.ReceiptAnswerBack{Clarity: voci.Clear, Agreement: voci.Disagree}); err != nil {
		t.Fatal(err)
	}
	err = s.RecordReceiptAnswerBack(ctx, "h-1", voci.ReceiptAnswerBack{Clarity: voci.NotClear})
	wantCode(t, "second answer back", err, voci.ERECEIPTANSWERED)
	if err := s.RecordReceiptAnswerBack(ctx, "h-2", voci.ReceiptAnswerBack{Clarity: voci.Clear}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordReceiptAnswerBack(ctx, "h-3", voci.ReceiptAnswerBack{Agreement: voci.Agree}); err != nil {
		t.Fatal(err)
	}
	err = s.RecordReceiptAnswerBack(ctx, "h-none", voci.ReceiptAnswerBack{Agreement: voci.Agree})
	wantCode(t, "unknown receipt answers back", err, voci.ENOTFOUND)
	if found, err := s.FindReceiptByHash(ctx, "h-3"); err != nil || !found.AnsweredBack {
		t.Fatalf("answered: %+v %v", found, err)
	}

	counts, err := s.CountReceipts(ctx, "cons-r")
	want := voci.ReceiptCounts{Issued: 3, OpenedAfterFeedback: 1, Clear: 2, NotClear: 0, Agree: 1, Disagree: 1}
	if err != nil || counts != want {
		t.Fatalf("counts %+v %v; want %+v", counts, err, want)
	}
	if counts, err := s.CountReceipts(ctx, "cons-x"); err != nil || counts != (voci.ReceiptCounts{Issued: 1}) {
		t.Fatalf("other consultation's counts %+v %v", counts, err)
	}
	if counts, err := s.CountReceipts(ctx, "cons-none"); err != nil || counts != (voci.ReceiptCounts{}) {
		t.Fatalf("no receipts: %+v %v", counts, err)
	}
}

// testConcurrentReceiptCodes: one receipt issued by many requests at once is stored once, and
// many answers back with it at once count once.
func testConcurrentReceiptCodes(t *testing.T, s voci.Store) {
	ctx := t.Context()
	const n = 12
	var wg sync.WaitGroup
	news := make(chan bool, n)
	errs := make(chan error, 2*n)
	for range n {
		wg.Go(func() {
			_, isNew, err := s.IssueReceipt(ctx, receiptFor("h-c", "cons-c"))
			if err != nil {
				errs <- err
			}
			news <- isNew
		})
	}
	wg.Wait()
	close(news)
	created := 0
	for isNew := range news {
		if isNew {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("%d issues stored it", created)
	}
	answered := make(chan bool, n)
	for range n {
		wg.Go(func() {
			err := s.RecordReceiptAnswerBack(ctx, "h-c", voci.ReceiptAnswerBack{Agreement: voci.Agree})
			switch voci.ErrorCode(err) {
			case "":
				answered <- true
			case voci.ERECEIPTANSWERED:
			default:
				errs <- fmt.Errorf("answer back: %w", err)
			}
		})
	}
	wg.Wait()
	close(errs)
	close(answered)
	for err := range errs {
		t.Fatal(err)
	}
	if len(answered) != 1 {
		t.Fatalf("%d answers back taken", len(answered))
	}
	if counts, err := s.CountReceipts(ctx, "cons-c"); err != nil || counts != (voci.ReceiptCounts{Issued: 1, Agree: 1}) {
		t.Fatalf("counts %+v %v", counts, err)
	}
}
