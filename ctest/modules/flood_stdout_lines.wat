;; `just_add` that first writes 51200 lines of 4 KiB (4095 times 'x' and a
;; line break: 200 MiB) to its WASI stdout: with --instances the host's rate
;; limit drops most lines and keeps a bounded part of the rest.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "just_add") (param i64 i64) (result i64) (local $i i32)
    (memory.fill (i32.const 65536) (i32.const 120) (i32.const 4095))
    (i32.store8 (i32.const 69631) (i32.const 10)) ;; the line break
    (i32.store (i32.const 16) (i32.const 65536)) ;; iov.buf: the second page
    (i32.store (i32.const 20) (i32.const 4096)) ;; iov.len: 4 KiB
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (i32.const 51200)))
        (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (i64.add (local.get 0) (local.get 1))))
