;; Hands the host an offset far outside its one-page (65536-byte) memory as
;; "the plugin's state": the host must refuse to read or write there.
(module
  (memory (export "memory") 1)
  (func (export "get_plugin_shared_value_ptr") (result i32)
    (i32.const 1000000)))
