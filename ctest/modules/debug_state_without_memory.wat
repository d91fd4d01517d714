;; Exports a debug view but no memory, and a function that traps: --dump-state
;; cannot read the view (exit 2) and must not hide the trap (exit 3).
(module
  (func (export "boom") unreachable)
  (func (export "guest_debug_state") (result i64) (i64.const 0x0000001000000004)))
