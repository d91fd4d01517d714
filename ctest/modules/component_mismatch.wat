;; A component (not a core module) whose import of the plugin world's host
;; interface declares `log-value` with an s64 parameter, where the host's
;; C++ function (and wit/plugin.wit) takes an s32: instantiating it is a
;; signature error naming the function and both types, before any guest
;; code runs. It exports nothing; the other imports are left out (a host
;; may define more than a component imports).
(component
  (import "wasmhost:plugin/host@0.1.0" (instance
    (export "log-value" (func (param "value" s64))))))
