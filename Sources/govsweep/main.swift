print("govsweep")
