;; Component text (it starts with `(component`, after this comment) that is
;; not valid WAT: an unknown value type. A compile error, exit status 2.
(component
  (import "wasmhost:plugin/host@0.1.0" (instance
    (export "log-value" (func (param "value" s33))))))
