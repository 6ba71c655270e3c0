(module
  (import "env" "mem" (memory 1))
  ;; The word index's one pass (word_index.ts, fillIndex): FNV-1a of each "\n"-separated word
  ;; of the block, its id put in the open-addressing table (linear probing; a repeated word
  ;; takes over its earlier slot) and its start recorded. Offsets are bytes in memory; starts
  ;; are relative to the block; slots must hold -1. Returns the number of words, counting
  ;; stops at count + 1.
  (func (export "fill")
    (param $block i32) (param $len i32) (param $count i32) (param $starts i32)
    (param $slots i32) (param $mask i32) (result i32)
    (local $i i32) (local $b i32) (local $h i32) (local $id i32) (local $from i32)
    (local $s i32) (local $other i32) (local $at i32) (local $wlen i32) (local $k i32)
    (local.set $h (i32.const 0x811c9dc5))
    (block $done
      (loop $bytes
        (br_if $done (i32.gt_u (local.get $i) (local.get $len)))
        (local.set $b (i32.const 10))
        (if (i32.lt_u (local.get $i) (local.get $len))
          (then (local.set $b (i32.load8_u (i32.add (local.get $block) (local.get $i))))))
        (if (i32.ne (local.get $b) (i32.const 10))
          (then
            (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $b)) (i32.const 0x01000193)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $bytes)))
        (if (i32.eq (local.get $id) (local.get $count))
          (then (return (i32.add (local.get $count) (i32.const 1)))))
        (local.set $wlen (i32.sub (local.get $i) (local.get $from)))
        (local.set $s (i32.and (local.get $h) (local.get $mask)))
        (block $placed
          (loop $probe
            (local.set $other
              (i32.load (i32.add (local.get $slots) (i32.shl (local.get $s) (i32.const 2)))))
            (br_if $placed (i32.eq (local.get $other) (i32.const -1)))
            (local.set $at
              (i32.load (i32.add (local.get $starts) (i32.shl (local.get $other) (i32.const 2)))))
            (if (i32.eq
                  (i32.sub
                    (i32.sub
                      (i32.load offset=4
                        (i32.add (local.get $starts) (i32.shl (local.get $other) (i32.const 2))))
                      (i32.const 1))
                    (local.get $at))
                  (local.get $wlen))
              (then
                ;; same length: compare the bytes
                (local.set $k (i32.const 0))
                (block $differ
                  (loop $cmp
                    (br_if $placed (i32.ge_u (local.get $k) (local.get $wlen)))
                    (br_if $differ
                      (i32.ne
                        (i32.load8_u
                          (i32.add (local.get $block) (i32.add (local.get $at) (local.get $k))))
                        (i32.load8_u
                          (i32.add (local.get $block) (i32.add (local.get $from) (local.get $k))))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $cmp)))))
            (local.set $s (i32.and (i32.add (local.get $s) (i32.const 1)) (local.get $mask)))
            (br $probe)))
        (i32.store (i32.add (local.get $slots) (i32.shl (local.get $s) (i32.const 2))) (local.get $id))
        (i32.store (i32.add (local.get $starts) (i32.shl (local.get $id) (i32.const 2))) (local.get $from))
        (local.set $id (i32.add (local.get $id) (i32.const 1)))
        (i32.store (i32.add (local.get $starts) (i32.shl (local.get $id) (i32.const 2)))
          (i32.add (local.get $i) (i32.const 1)))
        (local.set $from (i32.add (local.get $i) (i32.const 1)))
        (local.set $h (i32.const 0x811c9dc5))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $bytes)))
    (local.get $id))
)
