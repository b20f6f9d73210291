print("overparam")
