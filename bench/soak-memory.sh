#!/bin/bash
# 10,000 steps of a 784-256-128-10 network (235k parameters, 0.94 MB broadcast per step); heap after full GC sampled.
cd "$(dirname "$0")/.."
bin/sparkmlp train data.format=synthetic synthetic.rows=20000 synthetic.features=784 synthetic.classes=10 \
  model.hidden=256,128 train.batchSize=64 train.maxSteps=10000 train.epochs=1000 data.validationFraction=0 \
  train.logEvery=1000 output.dir=/tmp/soak output.overwrite=true > /tmp/soak.log 2>&1 &
sleep 5
PID=$(pgrep -f "io.sparkmlp.driver.cli.Main train data.format=synthetic synthetic.rows=20000" | head -1)
echo "pid $PID"
while kill -0 $PID 2>/dev/null; do
  sleep 20
  step=$(grep -o "^step [0-9]*" /tmp/soak.log | tail -1)
  used=$(jcmd $PID GC.run >/dev/null 2>&1; jcmd $PID GC.heap_info 2>/dev/null | grep -o "used [0-9]*K" | head -1)
  rss=$(ps -o rss= -p $PID)
  echo "$(date +%T) $step heap_after_gc=$used rss_kb=$rss"
done
