;; `guest_alloc` and `guest_debug_state` that never return: a time limit
;; hit inside them must keep its kind and limit in the message.
(module
  (memory (export "memory") 1)
  (func (export "guest_alloc") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0))
  (func (export "guest_free") (param i32 i32 i32))
  (func (export "point_add") (param i32 i32 i32))
  (func (export "guest_debug_state") (result i64) (loop $l (br $l)) (i64.const 0)))
