;; Results of every kind, for `host --call`'s formatting: floats given back
;; as they were passed, a v128 constant, a null funcref.
(module
  (func (export "id_f32") (param f32) (result f32) (local.get 0))
  (func (export "id_f64") (param f64) (result f64) (local.get 0))
  (func (export "lanes") (result v128) (v128.const i32x4 1 2 0xdeadbeef -1))
  (func (export "no_func") (result funcref) (ref.null func)))
