;; A guest that hands the host bad data, for the GuestBuffer unit tests:
;; guest_alloc always fails, and the returned (offset << 32 | length) blocks
;; are outside memory or not UTF-8. guest_free only counts its calls.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "\ff\fe")
  (global $frees (mut i32) (i32.const 0))
  (func (export "guest_alloc") (param i32 i32) (result i32) (i32.const 0))
  (func (export "guest_free") (param i32 i32 i32)
    (global.set $frees (i32.add (global.get $frees) (i32.const 1))))
  (func (export "frees") (result i32) (global.get $frees))
  ;; offset 65530, length 100: past the end of the 65536-byte memory
  (func (export "out_of_bounds") (result i64) (i64.const 0x0000fffa00000064))
  ;; offset 16, length 2: the bytes ff fe
  (func (export "invalid_utf8") (result i64) (i64.const 0x0000001000000002))
  ;; offset 0: the guest's "no result"
  (func (export "no_result") (result i64) (i64.const 0)))
