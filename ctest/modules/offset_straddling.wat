;; Hands the host an offset whose 4-byte value straddles the end of its
;; one-page (65536-byte) memory: 2 bytes inside, 2 outside. The last two
;; bytes hold 0xAB 0xCD so a test can see they were not written.
(module
  (memory (export "memory") 1)
  (data (i32.const 65534) "\ab\cd")
  (func (export "get_plugin_shared_value_ptr") (result i32)
    (i32.const 65534)))
