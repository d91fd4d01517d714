;; A 64-bit memory: capped like a 32-bit one (4 GiB by default, or
;; --max-memory); growing past the cap returns -1 in the guest.
(module (memory (export "memory") i64 1)
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))
